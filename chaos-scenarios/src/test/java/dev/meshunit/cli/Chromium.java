package dev.meshunit.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Opens a page in headless Chromium (Debian's {@code chromium}, which {@code .ci/run} installs) and returns the
 * DOM after its scripts ran, and every console message (uncaught errors included).
 */
public final class Chromium {
    /** The DOM after load and the console lines Chromium logged. */
    public record Page(String dom, List<String> console) {}

    private Chromium() {}

    public static Page open(Path html) {
        try {
            Path profile = Files.createTempDirectory("meshunit-chromium");
            Path stderr = profile.resolve("stderr.txt");
            Process p = new ProcessBuilder("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--no-first-run", "--enable-logging=stderr", "--v=0", "--user-data-dir=" + profile.resolve("profile"),
                    "--virtual-time-budget=10000", "--window-size=1280,2000", "--dump-dom", html.toUri().toString())
                    .redirectError(stderr.toFile()).start();
            p.getOutputStream().close();
            String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("chromium did not finish within 90 s");
            }
            List<String> console = Files.readAllLines(stderr).stream().filter(l -> l.contains(":CONSOLE(") || l.contains(":CONSOLE:")).toList();
            if (dom.isBlank()) throw new AssertionError("chromium printed no DOM; its log:\n" + Files.readString(stderr));
            return new Page(dom, console);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run chromium (apt-get install chromium): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
