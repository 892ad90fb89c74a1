package dev.meshunit.cli;

import java.util.Properties;

/**
 * Makes a user's {@code -Dio.netty.*} flags reach the Netty inside {@code meshunit.jar}. The jar relocates Netty
 * to {@code dev.meshunit.shaded.io.netty}, and the shade plugin relocates the property names Netty reads with
 * it, so {@code -Dio.netty.leakDetection.level=disabled} would silently do nothing. Each such flag is copied to
 * the relocated name, unless that name was given too. Run before any Netty class initialises.
 */
final class NettyProperties {
    private NettyProperties() {}

    /** Where meshunit.jar relocates Netty to (the shade plugin leaves a literal that starts elsewhere alone). */
    static final String RELOCATED = "dev.meshunit.shaded.io.netty.";

    static void copyToRelocated() {
        // No Netty class is touched to find out whether this is the relocated jar: validate loads no Netty
        // (StartupClassesTest). Outside the jar the copies are names nothing reads.
        copy(System.getProperties(), RELOCATED);
    }

    /** Copies each {@code io.netty.*} entry of {@code properties} to {@code relocated} + the rest of its name. */
    static void copy(Properties properties, String relocated) {
        // Computed at run time: a literal "io.netty." would itself be relocated in the jar.
        String unrelocated = String.join(".", "io", "netty", "");
        if (relocated.equals(unrelocated)) return; // running against unrelocated Netty (this module's tests)
        for (String name : properties.stringPropertyNames()) {
            if (!name.startsWith(unrelocated)) continue;
            String target = relocated + name.substring(unrelocated.length());
            if (properties.getProperty(target) == null) properties.setProperty(target, properties.getProperty(name));
        }
    }
}
