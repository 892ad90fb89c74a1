package dev.meshunit.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The journal keeps exchanges as bytes: what comes back equals what was recorded, field for field. */
class PackedExchangesTest {
    private static final String[] TEXT = {"", "a", "/reviews/0", "ünïcødé", "日本語", "emoji \uD83D\uDE00",
        "lone \uD800 surrogate", "latin-1 \u00e9\u00ff", "x".repeat(300)};

    @Test
    void everyFieldComesBackEqual() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("host", List.of("reviews:9080"));
        headers.put("x-many", List.of("1", "2", "3"));
        headers.put("x-unicode", List.of("ünïcødé 日本語"));
        Attempt first = new Attempt(1, "127.0.0.1:1", 503, "connection refused", EnumSet.of(ResponseFlag.UF),
                0.25, "/a?b=c", JournalHeaders.copyOf(headers), new RecordedBody("req".getBytes(), 3, false),
                new RecordedBody(new byte[] {0, -1, 127, -128}, 9_000_000_000L, true));
        Attempt second = new Attempt(2, "127.0.0.1:2", 200, null, Set.of(), 1.5);
        Exchange e = new Exchange(Long.MAX_VALUE, Instant.ofEpochSecond(-5, 999_999_999), "10.0.0.1", "PATCH",
                "reviews:9080", "/p", headers, new RouteRef("reviews", "default", 2, "v2-route"),
                new DestinationRef("reviews.default.svc.cluster.local", "v2", 9080), List.of(first, second),
                new InjectedFault(2_000, 503, "reset_after_headers"), -1, EnumSet.of(ResponseFlag.URX, ResponseFlag.DI,
                ResponseFlag.OM), -0.0, new Truncation(3, 77, List.of("x-a", "x-b")), "HTTP/2", Integer.MAX_VALUE, "14",
                "upstream connect error", "reviews:9080 /p", Map.of("grpc-status", List.of("14")));
        assertThat(roundTrip(e)).isEqualTo(e).hasToString(e.toString());
    }

    @Test
    void nullsAndEmptiesComeBackAsTheyWent() {
        Exchange e = new Exchange(1, Instant.EPOCH, null, null, null, null, Map.of(), null, null, List.of(), null, 0,
                Set.of(), 0, null, null, 0, null, null, null, null);
        Exchange back = roundTrip(e);
        assertThat(back).isEqualTo(e);
        assertThat(back.truncation()).isSameAs(Truncation.NONE);
        // A name without values (only a hand-made map has one) survives too.
        Map<String, List<String>> odd = new LinkedHashMap<>();
        odd.put("x-empty", List.of());
        odd.put("Mixed-Case", List.of("v"));
        Exchange withOdd = new Exchange(2, Instant.EPOCH, "s", "GET", "a", "/", odd, null, null, List.of(), InjectedFault.NONE,
                200, Set.of(), 1);
        assertThat(roundTrip(withOdd)).isEqualTo(withOdd);
        assertThat(roundTrip(withOdd).fault()).isSameAs(InjectedFault.NONE);
    }

    @Test
    void seededRandomExchangesComeBackEqualThroughTheRing() {
        Random random = new Random(42);
        PackedExchanges ring = new PackedExchanges();
        List<Exchange> kept = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            Exchange e = random(random, i);
            ring.addLast(e, i);
            kept.add(e);
            if (ring.size() > 1_000) {
                assertThat(ring.removeFirst()).isEqualTo(i - 1_000);
                kept.remove(0);
            }
            if (i % 997 == 0) assertThat(ring.all()).isEqualTo(kept);
        }
        assertThat(ring.all()).isEqualTo(kept);
        // Emptied chunks are reused: 1,000 exchanges of at most a few KiB each stay within a bounded set of chunks.
        assertThat(ring.chunksAllocated()).isLessThan(200);
    }

    @Test
    void anExchangeBiggerThanAChunkGetsOneOfItsOwn() {
        PackedExchanges ring = new PackedExchanges();
        Exchange small = random(new Random(1), 1);
        byte[] body = new byte[3 * PackedExchanges.CHUNK_BYTES];
        new Random(2).nextBytes(body);
        Attempt big = new Attempt(1, "e", 200, null, Set.of(), 1, "/", Map.of(), null,
                new RecordedBody(body, body.length, false));
        Exchange huge = new Exchange(2, Instant.EPOCH, "s", "POST", "a", "/", Map.of(), null, null, List.of(big),
                InjectedFault.NONE, 200, Set.of(), 1);
        ring.addLast(small, 1);
        ring.addLast(huge, 2);
        ring.addLast(small, 3);
        assertThat(ring.all()).containsExactly(small, huge, small);
        ring.removeFirst();
        ring.removeFirst();
        assertThat(ring.all()).containsExactly(small);
        ring.clear();
        assertThat(ring.size()).isZero();
        assertThat(ring.all()).isEmpty();
    }

    @Test
    void nullValuesAndANullStartComeBack() {
        Map<String, List<String>> trailers = new LinkedHashMap<>();
        trailers.put("a", java.util.Arrays.asList("x", null));
        trailers.put("b", List.of());
        Exchange e = new Exchange(3, null, "s", "GET", "a", "/", Map.of("host", List.of("a")), null, null, List.of(),
                InjectedFault.NONE, 200, Set.of(), 1, Truncation.NONE, "HTTP/2", 1, "0", null, null, trailers);
        assertThat(roundTrip(e)).isEqualTo(e);
        assertThat(roundTrip(e).responseTrailers().get("a")).containsExactly("x", null);
    }

    @Test
    void aReadUnpacksOnlyWhatCameAfterTheLastOne() {
        Journal journal = new Journal(50, 7);
        Random random = new Random(9);
        List<Exchange> all = new ArrayList<>();
        List<Exchange> previous = List.of();
        for (int i = 0; i < 300; i++) {
            Exchange e = random(random, journal.nextId());
            journal.record(e);
            all.add(e);
            if (i % 7 != 0) continue;
            List<Exchange> read = journal.exchanges();
            List<Exchange> expected = all.subList(Math.max(0, all.size() - 50), all.size());
            assertThat(read).isEqualTo(expected);
            // Those the previous read unpacked and still retained are the same objects, not unpacked again.
            for (Exchange kept : read) {
                int at = previous.indexOf(kept);
                if (at >= 0) assertThat(kept).isSameAs(previous.get(at));
            }
            assertThat(read.get(0)).isNotSameAs(expected.get(0)); // unpacked, not the recorded object
            previous = read;
        }
        journal.reset();
        assertThat(journal.exchanges()).isEmpty();
        Exchange after = random(random, journal.nextId());
        journal.record(after);
        assertThat(journal.exchanges()).containsExactly(after);
    }

    @Test
    void theJournalReturnsWhatItRecorded() {
        Journal journal = new Journal(3, 7);
        Random random = new Random(3);
        List<Exchange> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Exchange e = random(random, journal.nextId());
            journal.record(e);
            all.add(e);
        }
        assertThat(journal.exchanges()).isEqualTo(all.subList(2, 5));
        assertThat(journal.dropped()).isEqualTo(2);
        journal.reset();
        assertThat(journal.exchanges()).isEmpty();
    }

    private static Exchange roundTrip(Exchange e) {
        PackedExchanges ring = new PackedExchanges();
        ring.addLast(e, 1);
        return ring.get(0);
    }

    private static Exchange random(Random r, long id) {
        JournalHeaders.Builder h = new JournalHeaders.Builder();
        int lines = r.nextInt(12);
        for (int i = 0; i < lines; i++) h.add("x-h" + r.nextInt(5), text(r));
        List<Attempt> attempts = new ArrayList<>();
        int n = r.nextInt(4);
        for (int i = 1; i <= n; i++) {
            attempts.add(new Attempt(i, r.nextBoolean() ? null : "127.0.0.1:" + r.nextInt(65536), r.nextInt(600),
                    r.nextBoolean() ? null : text(r), flags(r), r.nextDouble() * 100, text(r), h.build(),
                    r.nextInt(4) == 0 ? new RecordedBody(text(r).getBytes(), r.nextInt(1 << 20), r.nextBoolean()) : null,
                    null));
        }
        return new Exchange(id, Instant.ofEpochSecond(r.nextInt(2_000_000_000), r.nextInt(1_000_000_000)), text(r),
                r.nextBoolean() ? "GET" : text(r), text(r), text(r), h.build(),
                r.nextBoolean() ? null : new RouteRef(text(r), null, r.nextInt(10) - 1, text(r)),
                r.nextBoolean() ? null : new DestinationRef(text(r), r.nextBoolean() ? null : "v1", r.nextInt(65536)),
                attempts, r.nextBoolean() ? InjectedFault.NONE : new InjectedFault(r.nextInt(5000), r.nextInt(600)),
                r.nextInt(600), flags(r), r.nextGaussian(), Truncation.NONE, r.nextBoolean() ? "HTTP/1.1" : "HTTP/2",
                r.nextInt(), null, r.nextBoolean() ? null : text(r), null, Map.of());
    }

    private static String text(Random r) {
        return TEXT[r.nextInt(TEXT.length)];
    }

    private static Set<ResponseFlag> flags(Random r) {
        EnumSet<ResponseFlag> set = EnumSet.noneOf(ResponseFlag.class);
        for (ResponseFlag f : ResponseFlag.values()) {
            if (r.nextInt(8) == 0) set.add(f);
        }
        return set;
    }
}
