package dev.meshunit.junit.internal;

import dev.meshunit.config.load.Problem;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The loader's warnings (accepted, but e.g. "subset v2 selects no endpoint: 503 (UH)"), shown once per test
 * class: on the console, where a developer sees them, and as report entry {@value #KEY}.
 */
public final class ConfigWarnings {
    public static final String KEY = "meshunit.warnings";
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ConfigWarnings.class);

    private ConfigWarnings() {}

    /** Shows the warnings unless this test class has shown them already (a proxy per method loads per method). */
    public static void show(ExtensionContext context, List<Problem> warnings, PrintStream console) {
        if (warnings.isEmpty()) return;
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        ExtensionContext.Store store = classContext.getStore(NAMESPACE);
        if (store.get(classContext.getUniqueId()) != null) return;
        store.put(classContext.getUniqueId(), Boolean.TRUE);
        String text = render(context.getRequiredTestClass(), warnings);
        console.print(text);
        console.flush();
        context.publishReportEntry(KEY, text);
    }

    static String render(Class<?> testClass, List<Problem> warnings) {
        StringBuilder out = new StringBuilder("MeshUnit: the config of ").append(testClass.getSimpleName())
                .append(" has ").append(warnings.size()).append(warnings.size() == 1 ? " warning" : " warnings").append(":\n");
        for (Problem p : warnings) out.append("  ").append(p).append('\n');
        return out.toString();
    }
}
