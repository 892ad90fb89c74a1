package dev.meshunit.junit.internal;

import dev.meshunit.junit.Backend;
import dev.meshunit.junit.StubBackend;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** Reads {@link Backend} fields into placeholder values: {@code name.port} and {@code name.host}. */
public final class BackendPlaceholders {
    private BackendPlaceholders() {}

    /** Static fields when {@code instance} is null, else static and instance fields. */
    public static Map<String, String> read(Class<?> testClass, Object instance) {
        Map<String, String> values = new TreeMap<>();
        for (Field f : fields(testClass)) {
            Backend backend = f.getAnnotation(Backend.class);
            if (backend == null) continue;
            boolean isStatic = Modifier.isStatic(f.getModifiers());
            if (!isStatic && instance == null) {
                throw new ExtensionConfigurationException("@Backend field " + describe(f)
                        + " is not static, but the proxy is started once per class; make it static or use"
                        + " @MeshTest(perMethod = true)");
            }
            InetSocketAddress address = addressOf(f, get(f, isStatic ? null : instance));
            String name = backend.value();
            if (values.put(name + ".port", Integer.toString(address.getPort())) != null) {
                throw new ExtensionConfigurationException("@Backend(\"" + name + "\") is declared twice; second: " + describe(f));
            }
            values.put(name + ".host", address.getHostString());
        }
        return values;
    }

    /**
     * The {@link StubBackend}s held by {@link Backend} fields that the proxy's scope owns: static fields for a
     * proxy per class ({@code instance} null), instance fields for a proxy per test. They close with it.
     */
    public static List<StubBackend> ownedStubs(Class<?> testClass, Object instance) {
        List<StubBackend> stubs = new ArrayList<>();
        for (Field f : fields(testClass)) {
            if (f.getAnnotation(Backend.class) == null || Modifier.isStatic(f.getModifiers()) != (instance == null)) continue;
            if (get(f, instance) instanceof StubBackend stub) stubs.add(stub);
        }
        return stubs;
    }

    private static List<Field> fields(Class<?> type) {
        List<Field> all = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) all.add(f);
        }
        return all;
    }

    private static Object get(Field f, Object target) {
        try {
            f.setAccessible(true);
            return f.get(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExtensionConfigurationException("cannot read @Backend field " + describe(f), e);
        }
    }

    private static InetSocketAddress addressOf(Field f, Object value) {
        if (value == null) {
            throw new ExtensionConfigurationException("@Backend field " + describe(f)
                    + " is null when the proxy starts; start the backend in a field initializer or a static block");
        }
        if (value instanceof Integer port) return checked(f, "127.0.0.1", port);
        if (value instanceof InetSocketAddress a) return checked(f, a.getHostString(), a.getPort());
        if (value instanceof StubBackend stub) return checked(f, stub.address().getHostString(), stub.port());
        if (value instanceof URI uri) return checked(f, uri.getHost() == null ? "127.0.0.1" : uri.getHost(), uri.getPort());
        throw new ExtensionConfigurationException("@Backend field " + describe(f) + " has type "
                + value.getClass().getName() + "; use StubBackend, int, Integer, URI or InetSocketAddress");
    }

    private static InetSocketAddress checked(Field f, String host, int port) {
        if (port < 1 || port > 65535) {
            throw new ExtensionConfigurationException("@Backend field " + describe(f) + " holds port " + port
                    + "; expected 1-65535 (was the backend started?)");
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    private static String describe(Field f) {
        return f.getDeclaringClass().getSimpleName() + "." + f.getName();
    }
}
