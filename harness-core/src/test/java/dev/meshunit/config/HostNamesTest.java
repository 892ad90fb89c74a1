package dev.meshunit.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class HostNamesTest {

    @Test
    void shortNamesResolveAgainstTheNamespace() {
        for (String h : new String[] {"reviews", "reviews.default", "reviews.default.svc", "reviews.default.svc.cluster.local", "Reviews."}) {
            assertThat(HostNames.fqdn(h, "default")).as(h).isEqualTo("reviews.default.svc.cluster.local");
        }
        assertThat(HostNames.fqdn("reviews", "prod")).isEqualTo("reviews.prod.svc.cluster.local");
        assertThat(HostNames.fqdn("reviews.prod", "default", Set.of("prod"))).isEqualTo("reviews.prod.svc.cluster.local");
    }

    @Test
    void externalNamesStayAsTheyAre() {
        assertThat(HostNames.fqdn("api.example.com", "default")).isEqualTo("api.example.com");
        assertThat(HostNames.fqdn("github.com", "default")).isEqualTo("github.com");
        assertThat(HostNames.fqdn("*.example.com", "default")).isEqualTo("*.example.com");
    }

    @Test
    void wildcardsMatchOneOrMoreLabels() {
        assertThat(HostNames.matches("*.example.com", "api.example.com")).isTrue();
        assertThat(HostNames.matches("*.example.com", "a.b.example.com")).isTrue();
        assertThat(HostNames.matches("*.example.com", "example.com")).isFalse();
        assertThat(HostNames.matches("*", "anything")).isTrue();
        assertThat(HostNames.matches("reviews.default.svc.cluster.local", "REVIEWS.default.svc.cluster.local")).isTrue();
        assertThat(HostNames.overlap("*.com", "*.example.com")).isTrue();
    }
}
