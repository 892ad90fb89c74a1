package dev.meshunit.junit.internal;

import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.load.ConfigException;
import dev.meshunit.config.load.ConfigLoader;
import dev.meshunit.config.load.LoadResult;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
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
        return load(testClass, testClass.getClassLoader(), names, placeholders, false).config();
    }

    /** The config and its warnings; errors fail the class, listing every one. */
    public static LoadResult load(Class<?> testClass, String[] names, Map<String, String> placeholders, boolean applyInOrder) {
        return load(testClass, testClass.getClassLoader(), names, placeholders, applyInOrder);
    }

    static LoadResult load(Class<?> testClass, ClassLoader loader, String[] names, Map<String, String> placeholders,
            boolean applyInOrder) {
        if (names.length == 0) return new LoadResult(IstioConfig.EMPTY, List.of());
        List<Path> paths = new ArrayList<>();
        List<FileSystem> jars = new ArrayList<>();
        try {
            for (String name : names) paths.add(resolve(testClass, loader, name, jars));
            ConfigLoader loaderOfFiles = ConfigLoader.create().withPlaceholders(placeholders::get);
            if (applyInOrder) loaderOfFiles = loaderOfFiles.applyInOrder();
            LoadResult result = loaderOfFiles.load(paths.toArray(Path[]::new));
            result.orThrow();
            return result;
        } catch (ConfigException e) {
            throw new ExtensionConfigurationException("@MeshTest config of " + testClass.getSimpleName()
                    + " has errors:\n" + e.getMessage() + "\nplaceholders bound by @Backend fields: "
                    + placeholders.keySet(), e);
        } finally {
            for (FileSystem fs : jars) {
                try {
                    fs.close();
                } catch (IOException ignored) {
                    // a jar opened read-only for reading config
                }
            }
        }
    }

    /** A classpath resource (in a folder or a jar), else a path relative to the working directory. */
    private static Path resolve(Class<?> testClass, ClassLoader loader, String name, List<FileSystem> opened) {
        URL url = loader.getResource(name.startsWith("/") ? name.substring(1) : name);
        if (url != null) {
            try {
                URI uri = url.toURI();
                if ("file".equals(uri.getScheme())) return relative(Path.of(uri));
                if ("jar".equals(uri.getScheme())) {
                    try {
                        opened.add(FileSystems.newFileSystem(uri, Map.of()));
                    } catch (FileSystemAlreadyExistsException shared) {
                        // someone else has this jar open: read through theirs, leave closing to them
                    }
                    return Path.of(uri);
                }
            } catch (URISyntaxException | IOException e) {
                throw new ExtensionConfigurationException("cannot read classpath resource " + url, e);
            }
        }
        Path p = Path.of(name);
        if (Files.exists(p)) return p;
        throw new ExtensionConfigurationException("@MeshTest config \"" + name + "\" of " + testClass.getSimpleName()
                + " is neither a classpath resource nor a path (working directory "
                + Path.of("").toAbsolutePath() + ")");
    }

    /** Problems name files relative to the working directory when they can: shorter, and still clickable. */
    private static Path relative(Path absolute) {
        Path cwd = Path.of("").toAbsolutePath();
        return absolute.startsWith(cwd) ? cwd.relativize(absolute) : absolute;
    }
}
