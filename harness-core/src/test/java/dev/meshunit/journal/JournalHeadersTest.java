package dev.meshunit.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JournalHeadersTest {
    @Test
    void namesAreLowerCasedAndDuplicatesKeepTheirOrder() {
        JournalHeaders h = JournalHeaders.of(List.of(Map.entry("Host", "svc:8080"), Map.entry("X-A", "1"),
                Map.entry("x-a", "2"), Map.entry("ACCEPT", "*/*"), Map.entry("X-A", "3")));
        assertThat(h).isEqualTo(Map.of("host", List.of("svc:8080"), "x-a", List.of("1", "2", "3"), "accept", List.of("*/*")));
        assertThat(h.keySet()).containsExactly("host", "x-a", "accept");
        assertThat(h.valueCount()).isEqualTo(5);
        assertThat(h.nameValueBytes()).isEqualTo(4 + 8 + 3 * (3 + 1) + 6 + 3);
        assertThat(h.hashCode()).isEqualTo(Map.copyOf(h).hashCode());
        assertThatThrownBy(() -> h.put("x", List.of())).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> h.get("x-a").add("4")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void commonNamesAreOneSharedStringWhateverTheirCase() {
        String a = JournalHeaders.of(List.of(Map.entry("User-Agent", "a"))).keySet().iterator().next();
        String b = JournalHeaders.of(List.of(Map.entry(new StringBuilder("user-AGENT"), "b"))).keySet().iterator().next();
        assertThat(a).isEqualTo("user-agent").isSameAs(b);
        assertThat(JournalHeaders.of(List.of(Map.entry("X-Own-Name", "1"))).keySet()).containsExactly("x-own-name");
        assertThat(new CommonNames("a", "host").find("HOSt")).isEqualTo("host");
        assertThat(new CommonNames("a", "host").find("hosts")).isNull();
        // Netty's decoders hand over names as AsciiString, whose case-insensitive hash is cached.
        assertThat(new CommonNames("a", "host").find(new io.netty.util.AsciiString("HoSt"))).isEqualTo("host");
        assertThat(new CommonNames("a", "host").find(new io.netty.util.AsciiString("x-host"))).isNull();
        String asciiName = JournalHeaders.of(List.of(Map.entry(new io.netty.util.AsciiString("X-Request-ID"), "i")))
                .keySet().iterator().next();
        assertThat(JournalHeaders.of(List.of(Map.entry(io.netty.handler.codec.http.HttpHeaderNames.HOST, "h"))).keySet())
                .containsExactly("host");
        assertThat(asciiName).isSameAs(JournalHeaders.of(List.of(Map.entry("x-request-id", "j"))).keySet().iterator().next());
    }

    @Test
    void manyNamesAndManyDuplicatesAreAllKept() {
        List<Map.Entry<String, String>> lines = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) lines.add(Map.entry("Dup", "v" + i));
        for (int i = 0; i < 500; i++) lines.add(Map.entry("name-" + i, "x"));
        JournalHeaders h = JournalHeaders.of(lines);
        assertThat(h.get("dup")).hasSize(5_000).startsWith("v0", "v1").endsWith("v4999");
        assertThat(h).hasSize(501).containsEntry("name-499", List.of("x"));
        assertThat(h.valueCount()).isEqualTo(5_500);
    }

    @Test
    void copyOfKeepsJournalHeadersAndConvertsOtherMaps() {
        JournalHeaders h = JournalHeaders.of(List.of(Map.entry("a", "1")));
        assertThat(JournalHeaders.copyOf(h)).isSameAs(h);
        assertThat(JournalHeaders.copyOf(Map.of("B", List.of("1", "2")))).isEqualTo(Map.of("b", List.of("1", "2")));
        assertThat(JournalHeaders.copyOf(Map.of())).isSameAs(JournalHeaders.EMPTY).isEmpty();
    }

    @Test
    void anExchangeKeepsJournalHeadersAsTheyAre() {
        JournalHeaders h = JournalHeaders.of(List.of(Map.entry("host", "svc")));
        Exchange e = new Exchange(1, java.time.Instant.EPOCH, "c", "GET", "svc", "/", h, null, null, List.of(),
                InjectedFault.NONE, 200, java.util.EnumSet.noneOf(ResponseFlag.class), 1.0);
        assertThat(e.requestHeaders()).isSameAs(h);
        assertThat(e.requestHeader("HOST")).isEqualTo("svc");
        assertThat(e.flags()).isEmpty();
    }
}
