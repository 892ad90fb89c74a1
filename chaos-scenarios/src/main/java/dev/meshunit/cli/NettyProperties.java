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

    static void copyToRelocated() {
        // Both prefixes computed at run time: a literal "io.netty." would itself be relocated in the jar.
        String unrelocated = String.join(".", "io", "netty", "");
        String actual = io.netty.util.Version.class.getPackageName() + ".";
        String relocated = actual.substring(0, actual.length() - "util.".length());
        if (relocated.equals(unrelocated)) return; // running against unrelocated Netty (this module's tests)
        Properties all = System.getProperties();
        for (String name : all.stringPropertyNames()) {
            if (!name.startsWith(unrelocated)) continue;
            String target = relocated + name.substring(unrelocated.length());
            if (System.getProperty(target) == null) System.setProperty(target, all.getProperty(name));
        }
    }
}
