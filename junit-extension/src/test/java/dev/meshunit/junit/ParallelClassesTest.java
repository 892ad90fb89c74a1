package dev.meshunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.meshunit.journal.ResponseFlag;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.platform.engine.discovery.ClassSelector;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;
import org.junit.platform.testkit.engine.Events;

/**
 * Eight @MeshTest classes run in parallel in a nested engine, each with its own proxy on its own ephemeral
 * port: they all pass, overlap in time, and leave no thread or file descriptor behind. Isolated, so that the
 * counts before and after are this run's alone.
 */
@Isolated("counts the JVM's threads and file descriptors")
class ParallelClassesTest {
    static final List<Class<?>> CLASSES = List.of(P1.class, P2.class, P3.class, P4.class, P5.class, P6.class, P7.class, P8.class);

    /** Loads the classes and opens the jars that any first run in a JVM opens for good. */
    @BeforeAll
    static void warmUp() {
        run(List.of(P1.class)).assertStatistics(s -> s.failed(0));
    }

    private static Events run(List<Class<?>> classes) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.default", "same_thread")
                .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "8")
                .selectors(classes.stream().map(c -> selectClass(c)).toArray(ClassSelector[]::new))
                .execute().allEvents();
    }

    @RepeatedTest(3)
    void eightClassesInParallelPassAndLeaveNothingBehind() throws IOException {
        // The worker threads of the engine running this test may come and go; the nested engine's are counted.
        String outerPool = Thread.currentThread().getName().replaceFirst("-worker-\\d+$", "-");
        Set<String> threadsBefore = threadNames();
        List<String> fdsBefore = openFds();

        Events events = run(CLASSES);

        events.assertStatistics(s -> s.failed(0));
        assertThat(events.succeeded().filter(e -> e.getTestDescriptor().isTest()).count()).isEqualTo(16);
        Map<String, String> portOf = new HashMap<>();
        events.reportingEntryPublished().stream().forEach(e -> portOf.merge(className(e),
                e.getRequiredPayload(ReportEntry.class).getKeyValuePairs().get("proxy"), (a, b) -> a + "," + b));
        assertThat(portOf).as("one proxy port per class").hasSize(CLASSES.size()).allSatisfy((c, port) ->
                assertThat(port).matches("\\d+"));
        // Each its own proxy: two proxies alive at the same moment had different ports. A class's proxy is up
        // from before its first test starts until after its last test ends, so two classes whose tests ran at
        // the same time had theirs up at once. (Class spans are wider than the proxies': a proxy closes before
        // its class ends, and the next class may get the port the kernel just freed, seen twice in CI runs.)
        Map<String, List<Instant[]>> tests = testSpans(events);
        for (Class<?> a : CLASSES) {
            for (Class<?> b : CLASSES) {
                boolean together = a != b && tests.get(a.getName()).stream().anyMatch(sa -> tests.get(b.getName()).stream()
                        .anyMatch(sb -> sa[0].isBefore(sb[1]) && sb[0].isBefore(sa[1])));
                if (together) assertThat(portOf.get(a.getName())).as("%s and %s had their proxies up at once", a, b)
                        .isNotEqualTo(portOf.get(b.getName()));
            }
        }
        assertThat(maxClassesAtOnce(events)).as("classes running at once").isGreaterThan(1);

        await("threads and file descriptors released").pollInSameThread().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Set<String> leaked = new HashSet<>(threadNames());
            leaked.removeAll(threadsBefore);
            leaked.removeIf(name -> name.startsWith(outerPool));
            assertThat(leaked).as("threads started by the run and still alive").isEmpty();
            List<String> opened = new ArrayList<>(openFds());
            fdsBefore.forEach(opened::remove);
            assertThat(opened).as("file descriptors opened by the run and still open (%d before)", fdsBefore.size()).isEmpty();
        });
    }

    /** The class (of a class or method descriptor) an event belongs to. */
    private static String className(Event e) {
        return e.getTestDescriptor().getSource().map(src -> src instanceof MethodSource m ? m.getClassName()
                : src instanceof ClassSource c ? c.getClassName() : "?").orElse("?");
    }

    /** Each class's start and finish. */
    private static Map<String, Instant[]> spans(Events events) {
        Map<String, Instant[]> spans = new HashMap<>();
        for (Class<?> c : CLASSES) {
            List<Event> mine = events.filter(e -> e.getTestDescriptor().getSource().filter(ClassSource.class::isInstance)
                    .map(src -> ((ClassSource) src).getClassName().equals(c.getName())).orElse(false)
                    && (e.getType() == EventType.STARTED || e.getType() == EventType.FINISHED)).toList();
            spans.put(c.getName(), new Instant[] {mine.get(0).getTimestamp(), mine.get(mine.size() - 1).getTimestamp()});
        }
        return spans;
    }

    /** Each class's tests, each from its start to its finish. */
    private static Map<String, List<Instant[]>> testSpans(Events events) {
        Map<String, Instant> started = new HashMap<>();
        Map<String, List<Instant[]>> spans = new HashMap<>();
        for (Class<?> c : CLASSES) spans.put(c.getName(), new ArrayList<>());
        for (Event e : events.filter(e -> e.getTestDescriptor().isTest()).toList()) {
            String id = e.getTestDescriptor().getUniqueId().toString();
            if (e.getType() == EventType.STARTED) started.put(id, e.getTimestamp());
            if (e.getType() == EventType.FINISHED) {
                spans.get(className(e)).add(new Instant[] {started.get(id), e.getTimestamp()});
            }
        }
        return spans;
    }

    private static int maxClassesAtOnce(Events events) {
        List<Instant[]> spans = new ArrayList<>(spans(events).values());
        int max = 0;
        for (Instant[] s : spans) {
            max = Math.max(max, (int) spans.stream().filter(o -> !o[0].isAfter(s[0]) && o[1].isAfter(s[0])).count());
        }
        return max;
    }

    private static Set<String> threadNames() {
        Set<String> names = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) names.add(t.getName() + "#" + t.getId());
        return names;
    }

    /** What each open file descriptor points to (a file, {@code socket:[inode]}, {@code anon_inode:[eventpoll]}...). */
    private static List<String> openFds() throws IOException {
        List<String> targets = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    targets.add(Files.readSymbolicLink(fd).toString());
                } catch (IOException gone) {
                    // the descriptor that listed the directory, closed by now
                }
            }
        }
        return targets;
    }

    /** One GET over a plain socket, so that no HTTP client thread outlives the run. */
    static String get(URI base, String path) throws IOException {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: ratings:9080\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try (InputStream in = s.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            }
        }
    }

    /** Requests are answered by the fault (port 9 is never served), so the classes need no backend. */
    @MeshTest(config = "mesh/ratings")
    @InjectAbort(host = "ratings", status = 503, path = "/down")
    abstract static class Fixture {
        @Backend("ratings") static final int PORT = 9;

        @Test
        void faultAnswers(Mesh mesh, TestReporter reporter) throws IOException {
            reporter.publishEntry("proxy", Integer.toString(mesh.proxy().port()));
            assertThat(get(mesh.uri("ratings"), "/down")).startsWith("HTTP/1.1 503");
            assertThat(mesh.exchanges("ratings")).singleElement().satisfies(e -> assertThat(e.hasFlag(ResponseFlag.FI)).isTrue());
        }

        @Test
        void unreachableBackendIs503(Mesh mesh) throws IOException {
            assertThat(get(mesh.uri("ratings"), "/up")).startsWith("HTTP/1.1 503");
            assertThat(mesh.exchanges("ratings")).singleElement().satisfies(e -> assertThat(e.hasFlag(ResponseFlag.UF)).isTrue());
        }
    }

    static class P1 extends Fixture {}

    static class P2 extends Fixture {}

    static class P3 extends Fixture {}

    static class P4 extends Fixture {}

    static class P5 extends Fixture {}

    static class P6 extends Fixture {}

    static class P7 extends Fixture {}

    static class P8 extends Fixture {}
}
