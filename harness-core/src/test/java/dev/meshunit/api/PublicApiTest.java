package dev.meshunit.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.MeshProxy;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The core's public surface, pinned in {@code harness-core/api/meshunit-core.api} as OkHttp pins its API: every
 * public or protected type outside {@code internal} packages of the compiled core, with its public and protected
 * members. A change to the surface fails the build until the file shows it, so that it shows in review. To
 * accept a change, run this test with {@code -Dmeshunit.api.update=true} and commit the file.
 */
class PublicApiTest {
    private static final Path API_FILE = Path.of("api", "meshunit-core.api");

    @Test
    void thePublicSurfaceIsTheOneInTheApiFile() throws Exception {
        List<String> actual = surface();
        if (Boolean.getBoolean("meshunit.api.update")) {
            Files.createDirectories(API_FILE.getParent());
            Files.write(API_FILE, actual, StandardCharsets.UTF_8);
        }
        assertThat(API_FILE).as("the API file; create it with -Dmeshunit.api.update=true").exists();
        List<String> pinned = Files.readAllLines(API_FILE, StandardCharsets.UTF_8);
        List<String> added = new ArrayList<>(actual);
        added.removeAll(pinned);
        List<String> removed = new ArrayList<>(pinned);
        removed.removeAll(actual);
        assertThat(added).as("public surface added but not in %s (run with -Dmeshunit.api.update=true to accept)",
                API_FILE).isEmpty();
        assertThat(removed).as("public surface in %s but gone (run with -Dmeshunit.api.update=true to accept)",
                API_FILE).isEmpty();
    }

    @Test
    void noPublicSignatureNamesAnInternalType() throws Exception {
        assertThat(surface()).as("public members that expose internal types").noneMatch(l -> l.contains(".internal."));
    }

    /** One line per public type (a header) and per public or protected member, sorted by type. */
    static List<String> surface() throws IOException, URISyntaxException {
        Path classes = Path.of(MeshProxy.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> types;
        try (Stream<Path> files = Files.walk(classes)) {
            types = files.map(p -> classes.relativize(p).toString().replace('\\', '/'))
                    .filter(n -> n.endsWith(".class") && !n.contains("/internal/") && !n.endsWith("module-info.class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                    .sorted().toList();
        }
        List<String> out = new ArrayList<>();
        for (String name : types) {
            Class<?> c;
            try {
                c = Class.forName(name, false, MeshProxy.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            if (!visible(c)) continue;
            out.add(header(c));
            List<String> members = new ArrayList<>();
            for (Field f : c.getDeclaredFields()) if (shown(f)) members.add("  " + f.toGenericString());
            for (Constructor<?> k : c.getDeclaredConstructors()) if (shown(k)) members.add("  " + k.toGenericString());
            for (Method m : c.getDeclaredMethods()) if (shown(m) && !m.isBridge()) members.add("  " + m.toGenericString());
            members.sort(null);
            out.addAll(members);
        }
        return out;
    }

    /** A type a user can name: public, and every enclosing type public too. */
    private static boolean visible(Class<?> c) {
        if (c.isSynthetic() || c.isAnonymousClass() || c.isLocalClass()) return false;
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers())) return false;
        }
        return true;
    }

    private static boolean shown(Member m) {
        if (m.isSynthetic()) return false;
        int mod = m.getModifiers();
        boolean extendable = !Modifier.isFinal(m.getDeclaringClass().getModifiers()) && !m.getDeclaringClass().isEnum()
                && !m.getDeclaringClass().isRecord();
        return Modifier.isPublic(mod) || (Modifier.isProtected(mod) && extendable);
    }

    private static String header(Class<?> c) {
        String kind = c.isAnnotation() ? "@interface" : c.isInterface() ? "interface" : c.isEnum() ? "enum"
                : c.isRecord() ? "record" : "class";
        StringBuilder b = new StringBuilder(Modifier.toString(c.getModifiers() & ~Modifier.INTERFACE & ~Modifier.ABSTRACT
                | (c.isInterface() ? 0 : c.getModifiers() & Modifier.ABSTRACT)));
        b.append(b.length() > 0 ? " " : "").append(kind).append(' ').append(c.getName());
        if (c.isSealed()) b.append(" permits ").append(Arrays.stream(c.getPermittedSubclasses()).map(Class::getName).sorted().toList());
        Class<?> sup = c.getSuperclass();
        if (sup != null && sup != Object.class && sup != Enum.class && sup != Record.class) b.append(" extends ").append(sup.getName());
        List<String> ifaces = Arrays.stream(c.getGenericInterfaces()).map(java.lang.reflect.Type::getTypeName).sorted().toList();
        if (!ifaces.isEmpty()) b.append(" implements ").append(String.join(", ", ifaces));
        return b.toString();
    }
}
