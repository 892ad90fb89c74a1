package dev.meshunit.junit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Opens a local HTML file in headless Chromium (Debian package {@code chromium}) and returns the DOM after its
 * scripts ran, with the browser's console log. Fails when Chromium is not installed: {@code .ci/run} installs it.
 */
final class HeadlessChromium {
    record Page(String dom, String console) {}

    private HeadlessChromium() {}

    static Page open(Path html) throws IOException, InterruptedException {
        Path binary = List.of(Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromium-browser")).stream()
                .filter(Files::isExecutable).findFirst().orElse(null);
        if (binary == null) throw new AssertionError("chromium is not installed: apt-get install -y chromium (.ci/run does)");
        Path profile = Files.createTempDirectory("meshunit-chromium-");
        Path log = profile.resolve("console.log");
        Process p = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + profile, "--enable-logging=stderr",
                "--v=0", "--virtual-time-budget=5000", "--dump-dom", html.toUri().toString())
                .redirectError(log.toFile()).start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // Generous: a cold start of Chromium on a loaded 2-core machine takes seconds; the page itself is local.
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish within 120 s");
        }
        String console = Files.readString(log, StandardCharsets.UTF_8);
        return new Page(dom, console);
    }
}
