package dev.meshunit.chaos.containers;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * An image built here, with no registry, from a local base image with a JRE (the project's {@code tc-local/jre17:1})
 * and entries of this JVM's class path: each jar into {@code /opt/app/lib}, each classes folder into
 * {@code /opt/app/classes/N}. Its command is {@code java -cp ... MAIN ARGS}. For MeshUnit itself and for services
 * whose classes the build has just compiled.
 */
public final class ClasspathImage {
    private ClasspathImage() {}

    /** The class path entries of this JVM that {@code keep} accepts. */
    public static List<Path> entries(Predicate<Path> keep) {
        List<Path> out = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(e);
            if (Files.exists(p) && keep.test(p)) out.add(p);
        }
        return out;
    }

    /**
     * @param baseImage an image with {@code java} on its PATH, present locally
     * @param name the image's name, e.g. {@code meshunit/meshunit-classpath}; Testcontainers removes it at exit
     */
    public static ImageFromDockerfile build(String baseImage, String name, List<Path> classpath, String mainClass) {
        ImageFromDockerfile image = new ImageFromDockerfile(name, true);
        StringBuilder dockerfile = new StringBuilder("FROM ").append(baseImage).append('\n');
        List<String> cp = new ArrayList<>();
        int folders = 0;
        for (Path p : classpath) {
            if (Files.isDirectory(p)) {
                String target = "classes/" + folders++;
                image.withFileFromPath(target, p);
                dockerfile.append("COPY ").append(target).append(" /opt/app/").append(target).append('\n');
                cp.add("/opt/app/" + target);
            } else {
                String target = "lib/" + p.getFileName();
                image.withFileFromPath(target, p);
                cp.add("/opt/app/" + target);
            }
        }
        if (classpath.stream().anyMatch(p -> !Files.isDirectory(p))) dockerfile.append("COPY lib /opt/app/lib\n");
        dockerfile.append("ENV CLASSPATH=").append(String.join(":", cp)).append('\n');
        dockerfile.append("ENTRYPOINT [\"java\", \"").append(mainClass).append("\"]\n");
        return image.withFileFromString("Dockerfile", dockerfile.toString());
    }
}
