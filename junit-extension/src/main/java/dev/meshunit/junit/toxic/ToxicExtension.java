package dev.meshunit.junit.toxic;

import dev.meshunit.chaos.TcpJournal;
import dev.meshunit.chaos.ToxicProxyServer;
import dev.meshunit.junit.StubBackend;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension behind {@link ToxicTest}: one {@link ToxicProxyServer} per test class, kept in JUnit's store
 * (closed with the class: its threads and ports released), proxies created from {@link ToxicProxy} fields,
 * the journal cleared before each test, every toxic removed and every proxy enabled after each.
 */
public final class ToxicExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ToxicExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        if (find(context) != null) return;   // a @Nested class shares its outer class's proxies
        Class<?> testClass = context.getRequiredTestClass();
        long seed = AnnotationSupport.findAnnotation(testClass, ToxicTest.class).map(ToxicTest::seed).orElse(1L);
        ToxicProxyServer server = ToxicProxyServer.builder().seed(seed).build();
        Resource resource = new Resource(new Toxics(server));
        context.getStore(NAMESPACE).put(Resource.class, resource);
        for (Class<?> c = testClass; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                ToxicProxy proxy = f.getAnnotation(ToxicProxy.class);
                if (proxy != null) server.createProxy(proxy.value(), "127.0.0.1:0", upstream(f));
            }
        }
    }

    private static String upstream(Field f) {
        String where = "@ToxicProxy field " + f.getDeclaringClass().getSimpleName() + "." + f.getName();
        if (!Modifier.isStatic(f.getModifiers())) throw new ExtensionConfigurationException(where + " must be static");
        Object value;
        try {
            f.setAccessible(true);
            value = f.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExtensionConfigurationException("cannot read " + where, e);
        }
        if (value instanceof Integer port) return "127.0.0.1:" + port;
        if (value instanceof InetSocketAddress a) return a.getHostString() + ":" + a.getPort();
        if (value instanceof StubBackend stub) return "127.0.0.1:" + stub.port();
        if (value instanceof String s && s.lastIndexOf(':') > 0) return s;
        throw new ExtensionConfigurationException(where + " holds " + value
                + "; expected an int port, an InetSocketAddress, a \"host:port\" string or a StubBackend");
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        toxics(context).journal().clear();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Toxics toxics = find(context);
        if (toxics != null) toxics.server().reset();
    }

    private static Toxics find(ExtensionContext context) {
        Resource r = context.getStore(NAMESPACE).get(Resource.class, Resource.class);
        return r == null ? null : r.toxics;
    }

    private static Toxics toxics(ExtensionContext context) {
        Toxics toxics = find(context);
        if (toxics == null) throw new ExtensionConfigurationException("no toxic proxies in " + context.getDisplayName());
        return toxics;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Toxics.class || type == ToxicProxyServer.class || type == TcpJournal.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Toxics toxics = find(context);
        if (toxics == null) throw new ParameterResolutionException("no toxic proxies in " + context.getDisplayName());
        Class<?> type = parameter.getParameter().getType();
        if (type == ToxicProxyServer.class) return toxics.server();
        if (type == TcpJournal.class) return toxics.journal();
        return toxics;
    }

    /** Closed by JUnit when the class ends; JUnit 5.10 closes only {@code CloseableResource}s. */
    @SuppressWarnings("deprecation")
    private static final class Resource implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        private final AtomicBoolean closed = new AtomicBoolean();
        private final Toxics toxics;

        Resource(Toxics toxics) {
            this.toxics = toxics;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) toxics.server().close();
        }
    }
}
