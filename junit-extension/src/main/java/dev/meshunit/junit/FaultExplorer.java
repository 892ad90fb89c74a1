package dev.meshunit.junit;

import dev.meshunit.junit.internal.ReportFiles;
import dev.meshunit.junit.internal.TimelineReport;
import dev.meshunit.junit.internal.explore.Combination;
import dev.meshunit.junit.internal.explore.ExpectedFailure;
import dev.meshunit.junit.internal.explore.Exploration;
import dev.meshunit.junit.internal.explore.ExplorationSummary;
import dev.meshunit.junit.internal.explore.ExploredCall;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension behind {@link ExploreFaults}: hands JUnit one run at a time, each decided from what the runs before
 * it saw, and publishes the summary when no run is left. The proxy is the test class's {@link MeshExtension} one.
 */
final class FaultExplorer implements TestTemplateInvocationContextProvider {
    static final String SUMMARY_KEY = "meshunit.exploration";
    static final String SUMMARY_FILE = "meshunit-exploration.html";

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod().map(m -> AnnotationSupport.isAnnotated(m, ExploreFaults.class)).orElse(false);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        Method method = context.getRequiredTestMethod();
        ExploreFaults settings = AnnotationSupport.findAnnotation(method, ExploreFaults.class).orElseThrow();
        Exploration exploration = exploration(settings, method, context.getRequiredTestClass());
        String name = context.getRequiredTestClass().getSimpleName() + "." + context.getDisplayName();
        Iterator<TestTemplateInvocationContext> runs = new Iterator<>() {
            private Combination pending;
            private boolean summarised;

            @Override
            public boolean hasNext() {
                if (pending == null) pending = exploration.next().orElse(null);
                if (pending == null && !summarised) {
                    summarised = true;
                    summarise(context, name, exploration);
                }
                return pending != null;
            }

            @Override
            public TestTemplateInvocationContext next() {
                if (!hasNext()) throw new NoSuchElementException();
                Combination c = pending;
                pending = null;
                return new Run(exploration, c, exploration.number());
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(runs, Spliterator.ORDERED), false);
    }

    private static Exploration exploration(ExploreFaults s, Method method, Class<?> testClass) {
        String where = "@ExploreFaults on " + testClass.getSimpleName() + "." + method.getName() + ": ";
        if (s.faults().length == 0) throw new ExtensionConfigurationException(where + "faults must name at least one fault");
        if (s.maxInvocations() < 1) throw new ExtensionConfigurationException(where + "maxInvocations must be >= 1 (was " + s.maxInvocations() + ")");
        if (s.maxFaultsPerRun() < 1) throw new ExtensionConfigurationException(where + "maxFaultsPerRun must be >= 1 (was " + s.maxFaultsPerRun() + ")");
        Duration budget = duration(s.budget(), where);
        List<ExpectedFailure> expected = new ArrayList<>();
        for (ExpectFailureWhen e : AnnotationSupport.findRepeatableAnnotations(testClass, ExpectFailureWhen.class)) expected.add(ExpectedFailure.of(e));
        for (ExpectFailureWhen e : AnnotationSupport.findRepeatableAnnotations(method, ExpectFailureWhen.class)) expected.add(ExpectedFailure.of(e));
        return new Exploration(List.of(s.faults()), budget.multipliedBy(3).dividedBy(2), s.maxInvocations(),
                s.maxFaultsPerRun(), s.seed(), expected, s.callKey().isBlank() ? null : s.callKey().strip());
    }

    /** {@code 250ms}, {@code 2s}, {@code 1.5s}, {@code 1m} or ISO-8601 ({@code PT2S}). */
    static Duration duration(String text, String where) {
        String t = text.strip();
        try {
            if (t.startsWith("PT") || t.startsWith("pt")) return positive(Duration.parse(t), text, where);
            if (t.endsWith("ms")) return positive(Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).strip())), text, where);
            if (t.endsWith("s")) return positive(Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000)), text, where);
            if (t.endsWith("m")) return positive(Duration.ofSeconds(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60)), text, where);
        } catch (RuntimeException e) {
            // reported below
        }
        throw new ExtensionConfigurationException(where + "budget must look like 250ms, 2s or PT2S (was \"" + text + "\")");
    }

    private static Duration positive(Duration d, String text, String where) {
        if (d.isNegative() || d.isZero()) throw new ExtensionConfigurationException(where + "budget must be > 0 (was \"" + text + "\")");
        return d;
    }

    private static void summarise(ExtensionContext context, String name, Exploration exploration) {
        String text = ExplorationSummary.text(name, exploration);
        context.publishReportEntry(SUMMARY_KEY, "\n" + text);
        System.out.print(text);
        ReportFiles.publish(context, SUMMARY_FILE, "text/html", ExplorationSummary.html(name, exploration));
    }

    /** One run: its name, and the hook that injects its faults and records how it went. */
    private record Run(Exploration exploration, Combination combination, int number) implements TestTemplateInvocationContext {
        @Override
        public String getDisplayName(int invocationIndex) {
            return "[" + number + "] " + combination.describe(exploration.delay());
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(new RunHook(exploration, combination));
        }
    }

    /**
     * Runs after {@link MeshExtension}'s beforeEach (journal reset, annotation faults) and before its afterEach
     * (faults cleared, failure report), so the journal it reads is this run's.
     */
    private static final class RunHook implements BeforeEachCallback, AfterEachCallback, TestExecutionExceptionHandler {
        private final Exploration exploration;
        private final Combination combination;
        private boolean failedAsExpected;

        RunHook(Exploration exploration, Combination combination) {
            this.exploration = exploration;
            this.combination = combination;
        }

        @Override
        public void beforeEach(ExtensionContext context) {
            Mesh mesh = mesh(context);
            combination.overrides(exploration.delay()).forEach(mesh.faults()::add);
        }

        @Override
        public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
            if (combination.isBaseline() || !exploration.expectsFailure(combination)) throw failure;
            failedAsExpected = true;
            context.publishReportEntry("meshunit.expectedFailure", String.valueOf(failure));
        }

        @Override
        public void afterEach(ExtensionContext context) {
            if (MeshExtension.find(context) == null) exploration.finished(Exploration.Outcome.FAILED, List.of(), null);
            Mesh mesh = mesh(context);
            Exploration.Outcome outcome = context.getExecutionException().isPresent() ? Exploration.Outcome.FAILED
                    : failedAsExpected ? Exploration.Outcome.FAILED_AS_EXPECTED : Exploration.Outcome.PASSED;
            Path timeline = TimelineReport.publishOnce(context, mesh.journal()).orElse(null);
            exploration.finished(outcome, ExploredCall.of(mesh.journal().exchanges(), exploration.callKey()), timeline);
        }

        private static Mesh mesh(ExtensionContext context) {
            Mesh mesh = MeshExtension.find(context);
            if (mesh == null) {
                throw new ExtensionConfigurationException("@ExploreFaults needs a MeshUnit proxy: annotate "
                        + context.getRequiredTestClass().getSimpleName() + " with @MeshTest (or register MeshExtension)");
            }
            return mesh;
        }
    }
}
