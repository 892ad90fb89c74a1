package dev.meshunit.junit.internal;

import dev.meshunit.junit.InjectToxic;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

/**
 * Whether a test class wants toxics under its sidecar, and whether {@code meshunit-chaos} is there to give them.
 * Names no chaos class, so that a project without it never loads one.
 */
public final class ToxicsWanted {
    private static final String CHAOS_CLASS = "dev.meshunit.chaos.SidecarToxics";

    private ToxicsWanted() {}

    /** Asked for in the settings, or an {@link InjectToxic} on the class, an enclosing class or a test method. */
    public static boolean by(MeshSettings settings, Class<?> testClass, String owner) {
        if (!settings.toxics() && !declared(testClass)) return false;
        try {
            Class.forName(CHAOS_CLASS, false, ToxicsWanted.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new ExtensionConfigurationException(owner + ": toxics under the sidecar (@InjectToxic, toxics = true)"
                    + " need meshunit-chaos on the test classpath: add dev.meshunit:meshunit-chaos (test scope)", e);
        }
        return true;
    }

    /** The class whose proxy @Nested (inner) classes share, and every inner class of it. */
    private static boolean declared(Class<?> testClass) {
        Class<?> outer = testClass;
        while (!Modifier.isStatic(outer.getModifiers()) && outer.getEnclosingClass() != null) outer = outer.getEnclosingClass();
        return declaredInside(outer);
    }

    private static boolean declaredInside(Class<?> c) {
        if (!AnnotationSupport.findRepeatableAnnotations(c, InjectToxic.class).isEmpty()) return true;
        List<Method> single = AnnotationSupport.findAnnotatedMethods(c, InjectToxic.class, HierarchyTraversalMode.TOP_DOWN);
        List<Method> repeated = AnnotationSupport.findAnnotatedMethods(c, InjectToxic.List.class, HierarchyTraversalMode.TOP_DOWN);
        if (!single.isEmpty() || !repeated.isEmpty()) return true;
        for (Class<?> inner : c.getDeclaredClasses()) {
            if (!Modifier.isStatic(inner.getModifiers()) && declaredInside(inner)) return true;
        }
        return false;
    }
}
