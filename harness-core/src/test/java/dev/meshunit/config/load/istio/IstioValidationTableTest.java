package dev.meshunit.config.load.istio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.config.load.ConfigLoader;
import dev.meshunit.config.load.LoadResult;
import dev.meshunit.config.load.Problem;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Istio's own validation table tests (pkg/config/validation: validation_test.go, virtualservice_test.go and
 * agent/validation_test.go, for VirtualService, DestinationRule, ServiceEntry and WorkloadEntry), case for case, under
 * their Go names: a case Istio rejects must give an error, a case it accepts must give none (warnings
 * allowed), and a case where Istio warns must give a warning. Analyzer errors (with an IST code, such as
 * IST0101 for a subset no DestinationRule defines) are not webhook verdicts and are left out here.
 */
class IstioValidationTableTest {
    static final List<String> TESTS = List.of("TestValidateHTTPHeaderName", "TestValidateCORSPolicy",
            "TestValidateHTTPStatus", "TestValidateHTTPFaultInjectionAbort", "TestValidateHTTPFaultInjectionDelay",
            "TestValidateHTTPRetry", "TestValidateHTTPRewrite", "TestValidateUriRegexRewrite", "TestValidatePortName",
            "TestValidateHTTPRedirect", "TestValidateHTTPDirectResponse", "TestValidateDestination",
            "TestValidateHTTPRoute", "TestValidateRouteDestination", "TestValidateVirtualService",
            "TestValidateWorkloadEntry", "TestValidateDestinationRule", "TestValidateTrafficPolicy",
            "TestValidateConnectionPool", "TestValidateLoadBalancer", "TestValidateOutlierDetection",
            "TestValidateServiceEntries", "TestValidateHTTPHeaderValue", "Test_validateExportTo",
            // Gateway and Sidecar: validated when a file holds one, then skipped
            "TestValidateGateway", "TestValidateServer", "TestValidateServerPort", "TestValidateTlsOptions", "TestValidateSidecar",
            // virtualservice_test.go
            "TestValidateChainingVirtualService", "TestValidateRootHTTPRoute", "TestValidateDelegateHTTPRoute",
            // agent/validation_test.go, through the resource fields that use each rule
            "TestValidateFQDN", "TestValidateDuration", "TestValidateTLS", "TestValidateWildcardDomain",
            "TestValidateWildcardDomainForVirtualServiceBoundToGateway", "TestValidateLocalityLbSetting",
            "TestValidateZoneAwareLbSetting", "TestValidateLocalities", "TestValidationIPAddress", "TestValidationIPSubnet");

    /**
     * Cases whose verdict no resource can show: Istio's helper gives it, but the resource that uses the
     * helper decides otherwise. The reason is Istio's.
     */
    static final Map<String, String> NOT_REACHABLE = Map.of(
            "TestValidateWildcardDomainForVirtualServiceBoundToGateway/IP address",
            "ValidateVirtualService accepts an IP address as a host and skips this helper's error");

    /** Cases where MeshUnit gives another verdict on purpose (ARCHITECTURE.md, deliberate differences). */
    static final Map<String, String> DELIBERATE = Map.of();

    @TestFactory
    Stream<DynamicNode> istioTableTests() {
        return TESTS.stream().map(test -> IstioCases.read("validation", test)).map(t -> DynamicContainer.dynamicContainer(
                t.test(), t.cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(t.test(), c)))));
    }

    static void check(String test, IstioCases.Case c) {
        Assumptions.assumeTrue(c.skipped() == null, c.skipped());
        String key = test + "/" + c.name();
        Assumptions.assumeTrue(!DELIBERATE.containsKey(key), DELIBERATE.get(key));
        Assumptions.assumeTrue(!NOT_REACHABLE.containsKey(key), NOT_REACHABLE.get(key));
        LoadResult result = ConfigLoader.create().loadString(test + ".json", c.resource());
        List<Problem> webhook = result.problems().stream().filter(p -> p.code() == null).toList();
        List<Problem> errors = webhook.stream().filter(Problem::isError).toList();
        if (c.valid()) {
            assertThat(errors).as("%s", key + ": Istio accepts this; MeshUnit said:\n" + errors + "\ninput:\n" + c.resource())
                    .isEmpty();
            if (c.warning()) {
                assertThat(result.warnings()).as("%s", key + ": Istio warns about this\ninput:\n" + c.resource()).isNotEmpty();
            }
        } else {
            assertThat(errors).as("%s", key + ": Istio rejects this; MeshUnit gave no error (warnings: " + webhook
                    + ")\ninput:\n" + c.resource()).isNotEmpty();
        }
    }
}
