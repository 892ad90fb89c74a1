package dev.meshunit.junit.internal;

import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.load.ConfigException;
import dev.meshunit.config.load.ConfigLoader;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** Turns {@code @MeshTest(config = ...)} into one config, loaded in one pass so cross references resolve. */
public final class ConfigSources {
    private ConfigSources() {}

    public static IstioConfig load(Class<?> testClass, String[] names, Map<String, String> placeholders) {
        if (names.length == 0) return IstioConfig.EMPTY;
        List<Path> paths = new ArrayList<>();
        for (String name : names) paths.add(resolve(testClass, name));
        try {
            return ConfigLoader.create().withPlaceholders(placeholders::get).load(paths.toArray(Path[]::new)).orThrow();
        } catch (ConfigException e) {
            throw new ExtensionConfigurationException("@MeshTest config of " + testClass.getSimpleName()
                    + " has errors:\n" + e.getMessage() + "\nplaceholders bound by @Backend fields: "
                    + placeholders.keySet(), e);
        }
    }

    private static Path resolve(Class<?> testClass, String name) {
        ClassLoader loader = testClass.getClassLoader();
        URL url = loader.getResource(name.startsWith("/") ? name.substring(1) : name);
        if (url != null && "file".equals(url.getProtocol())) {
            try {
                return relative(Path.of(url.toURI()));
            } catch (URISyntaxException e) {
                throw new ExtensionConfigurationException("bad resource URL " + url, e);
            }
        }
        Path p = Path.of(name);
        if (Files.exists(p)) return p;
        throw new ExtensionConfigurationException("@MeshTest config \"" + name + "\" of " + testClass.getSimpleName()
                + " is neither a classpath resource on the file system nor a path (working directory "
                + Path.of("").toAbsolutePath() + ")");
    }

    /** Problems name files relative to the working directory when they can: shorter, and still clickable. */
    private static Path relative(Path absolute) {
        Path cwd = Path.of("").toAbsolutePath();
        return absolute.startsWith(cwd) ? cwd.relativize(absolute) : absolute;
    }
}
