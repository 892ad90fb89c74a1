package dev.meshunit.examples.storefront;

import dev.meshunit.chaos.containers.ClasspathImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testcontainers.images.builder.ImageFromDockerfile;

/** The example's images, built here from the project's base image (no registry): the storefront and Redis. */
final class Images {
    static final String JRE = System.getProperty("tc.jre.image", "tc-local/jre17:1");
    static final String BUSYBOX = System.getProperty("tc.busybox.image", "tc-local/busybox:1");
    private static final Pattern SERVICE_JARS = Pattern.compile("(jedis|commons-pool2|slf4j-api|json|gson|redis-authx)-.*\\.jar");

    private Images() {}

    /** The storefront: this module's classes and Jedis with its dependencies, on the JRE image. */
    static ImageFromDockerfile storefront() {
        List<Path> cp = ClasspathImage.entries(p -> Files.isDirectory(p)
                ? p.endsWith(Path.of("storefront", "target", "classes"))
                : SERVICE_JARS.matcher(p.getFileName().toString()).matches());
        return ClasspathImage.build(JRE, "meshunit/storefront:" + Long.toHexString(System.nanoTime()), cp,
                Storefront.class.getName());
    }

    /** This machine's redis-server and the libraries it links, on the JRE image (which has glibc). */
    static ImageFromDockerfile redis() {
        Path server = Path.of("/usr/bin/redis-server");
        if (!Files.isExecutable(server)) throw new IllegalStateException("no /usr/bin/redis-server: apt-get install redis-server");
        ImageFromDockerfile image = new ImageFromDockerfile("meshunit/redis:" + Long.toHexString(System.nanoTime()), true)
                .withFileFromPath("redis-server", server);
        StringBuilder dockerfile = new StringBuilder("FROM " + JRE + "\nCOPY redis-server /usr/bin/redis-server\n");
        int i = 0;
        for (Path lib : linkedLibraries(server)) {
            String name = "lib" + i++;
            try {
                image.withFileFromPath(name, lib.toRealPath()); // the file itself, under the name the loader looks for
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            dockerfile.append("COPY ").append(name).append(' ').append(lib).append('\n');
        }
        dockerfile.append("ENTRYPOINT [\"/usr/bin/redis-server\"]\n");
        return image.withFileFromString("Dockerfile", dockerfile.toString());
    }

    private static List<Path> linkedLibraries(Path binary) {
        try {
            Process ldd = new ProcessBuilder("ldd", binary.toString()).redirectErrorStream(true).start();
            String out = new String(ldd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            ldd.waitFor(30, TimeUnit.SECONDS);
            List<Path> libs = new ArrayList<>();
            Matcher m = Pattern.compile("=> (/\\S+)").matcher(out);
            while (m.find()) libs.add(Path.of(m.group(1)));
            return libs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
