package dev.meshunit.junit;

import dev.meshunit.MeshProxy;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.journal.Journal;
import dev.meshunit.junit.internal.BackendPlaceholders;
import dev.meshunit.junit.internal.ConfigSources;
import dev.meshunit.junit.internal.FailureReport;
import dev.meshunit.junit.internal.FaultAnnotations;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.lang.reflect.AnnotatedElement;
import java.util.Map;
import java.util.Optional;
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
 * The extension behind {@link MeshTest}. The proxy lives in JUnit's {@link ExtensionContext.Store} of the
 * class (or of the method, with {@code perMethod}), so JUnit closes it when that scope ends, even when a
 * callback failed. Nothing is static: parallel test classes each get their own proxy.
 */
public final class MeshExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(MeshExtension.class);
    private static final String KEY = "mesh";

    @Override
    public void beforeAll(ExtensionContext context) {
        // A @Nested class finds no annotation of its own and shares the enclosing class's proxy.
        Optional<MeshTest> settings = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), MeshTest.class);
        if (settings.isEmpty() || settings.get().perMethod()) return;
        context.getStore(NAMESPACE).put(KEY, start(settings.get(), context.getRequiredTestClass(), null));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Optional<MeshTest> settings = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), MeshTest.class);
        if (settings.isPresent() && settings.get().perMethod()) {
            context.getStore(NAMESPACE).put(KEY, start(settings.get(), context.getRequiredTestClass(),
                    context.getRequiredTestInstance()));
        } else {
            mesh(context).journal().reset();
        }
        Mesh mesh = mesh(context);
        for (AnnotatedElement element : faultSources(context)) {
            FaultAnnotations.read(element).forEach(mesh.faults()::add);
        }
    }

    /** The class (outer classes first, for @Nested), then the method: class-level faults apply to every test. */
    private static List<AnnotatedElement> faultSources(ExtensionContext context) {
        List<AnnotatedElement> sources = new ArrayList<>();
        for (Class<?> c = context.getRequiredTestClass(); c != null;
                c = Modifier.isStatic(c.getModifiers()) ? null : c.getEnclosingClass()) {
            sources.add(0, c);
        }
        sources.add(context.getRequiredTestMethod());
        return sources;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Mesh mesh = context.getStore(NAMESPACE).get(KEY, Mesh.class);
        if (mesh == null) return;
        mesh.faults().clear();
        if (context.getExecutionException().isPresent()) FailureReport.publish(context, mesh.journal().exchanges());
    }

    private static Mesh start(MeshTest settings, Class<?> testClass, Object instance) {
        Map<String, String> placeholders = BackendPlaceholders.read(testClass, instance);
        IstioConfig config = ConfigSources.load(testClass, settings.config(), placeholders);
        return new Mesh(MeshProxy.builder()
                .config(config)
                .seed(settings.seed())
                .listenerPerService(settings.listenerPerService())
                .start());
    }

    private static Mesh mesh(ExtensionContext context) {
        Mesh mesh = context.getStore(NAMESPACE).get(KEY, Mesh.class);
        if (mesh == null) {
            throw new ExtensionConfigurationException("no MeshUnit proxy in " + context.getDisplayName()
                    + ": annotate the test class with @MeshTest (with perMethod = true the proxy exists only"
                    + " in test methods and @BeforeEach/@AfterEach)");
        }
        return mesh;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Mesh.class || type == MeshProxy.class || type == Journal.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        Mesh mesh;
        try {
            mesh = mesh(context);
        } catch (ExtensionConfigurationException e) {
            throw new ParameterResolutionException(e.getMessage(), e);
        }
        if (type == MeshProxy.class) return mesh.proxy();
        if (type == Journal.class) return mesh.journal();
        return mesh;
    }
}
