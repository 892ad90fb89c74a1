package dev.meshunit.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.MeshProxy;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.JournalJson;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.testing.OneService;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.TestBackend;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A 404 NR says which route came closest and why it missed, in a header and in the journal. */
class NearestRouteReplyTest {
    @Test
    void aTypoInTheHostIsExplainedInTheAnswerAndTheJournal() {
        try (TestBackend svc = TestBackend.named("svc");
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(svc.port(), "match: [{uri: {prefix: /api/}}]"))
                     .ioThreads(1).start()) {
            RawHttp.Response typo = RawHttp.get(proxy.port(), "svx:8080", "/api/1");
            RawHttp.Response path = RawHttp.get(proxy.port(), OneService.AUTHORITY, "/apj/1");
            assertThat(typo.status()).isEqualTo(404);
            assertThat(typo.header("x-meshunit-nearest-route")).isEqualTo("no VirtualService routes host svx; nearest declared: svc");
            assertThat(path.status()).isEqualTo(404);
            assertThat(path.header("x-meshunit-nearest-route")).startsWith("nearest route svc/http[0]: ").contains("/api/");
            List<Exchange> all = proxy.journal().exchanges();
            assertThat(all).extracting(Exchange::nearestRoute)
                    .containsExactly(typo.header("x-meshunit-nearest-route"), path.header("x-meshunit-nearest-route"));
            assertThat(all).allSatisfy(e -> assertThat(e.flags()).containsExactly(ResponseFlag.NR));
            assertThat(JournalJson.toJson(all)).contains("\"nearestRoute\":\"no VirtualService routes host svx");
        }
    }
}
