package dev.meshunit.examples;

import static dev.meshunit.mirror.ShadowComparison.subset;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.junit.Backend;
import dev.meshunit.junit.Mesh;
import dev.meshunit.junit.MeshTest;
import dev.meshunit.junit.StubAnswer;
import dev.meshunit.junit.StubBackend;
import dev.meshunit.mirror.ComparisonResult;
import dev.meshunit.mirror.MirrorAssertions;
import dev.meshunit.mirror.ShadowComparison;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A shadow comparison from a @MeshTest class: recordBodies is an attribute, the comparison reads mesh.journal(). */
@MeshTest(config = "mirror-junit/users.yaml", recordBodies = 64 * 1024)
class MirrorFromMeshTest {
    @Backend("users-v1") static final StubBackend V1 = StubBackend.builder().label("v1")
            .answer("/users/", StubAnswer.json("{\"user\": {\"id\": 7, \"name\": \"Ann\"}}")).start();
    @Backend("users-v2") static final StubBackend V2 = StubBackend.builder().label("v2")
            .answer("/users/", StubAnswer.json("{\"user\": {\"id\": 7, \"fullName\": \"Ann\"}}")).start();

    @Test
    void theCandidateRenamedAField(Mesh mesh) throws Exception {
        for (int i = 0; i < 5; i++) {
            var response = mesh.httpClient().send(HttpRequest.newBuilder(URI.create("http://users:8080/users/7")).build(),
                    BodyHandlers.ofString());
            assertThat(response.body()).contains("\"name\"");   // the caller sees only the primary
        }
        ShadowComparison comparison = ShadowComparison.on(mesh.journal()).candidate(subset("v2")).build();
        comparison.awaitShadows(5, Duration.ofSeconds(20));
        ComparisonResult result = comparison.compare();

        MirrorAssertions.assertThat(result).comparedAtLeast(5).differsOnlyIn("$.user.name", "$.user.fullName");
        assertThat(V2.requests()).hasSize(5).allSatisfy(r -> assertThat(r.header("host")).startsWith("users-shadow"));
    }
}
