package dev.meshunit.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshunit.fault.CallKey;
import dev.meshunit.fault.Fault;
import dev.meshunit.fault.FaultMatch;
import dev.meshunit.fault.FaultOverride;
import dev.meshunit.fault.FaultTrigger;
import dev.meshunit.junit.InjectAbort;
import dev.meshunit.junit.InjectDelay;
import dev.meshunit.junit.InjectFault;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** The annotations read into the core's fault records, and misuse named with annotation and method. */
class FaultAnnotationsTest {

    @InjectDelay(host = "ratings", delay = "1.5s", subset = "v2", path = "/r", header = "end-user=jason", percentage = 50)
    @InjectAbort(host = "ratings", status = 503, requests = "3, 7, 10-20")
    @InjectFault(host = "reviews", delay = "PT0.2S", abort = 500, firstAttempts = 2, callKey = "Idempotency-Key")
    void all() {}

    @Test
    void everyAttributeReachesTheRecord() throws Exception {
        List<FaultOverride> read = FaultAnnotations.read(getClass().getDeclaredMethod("all"));

        assertThat(read).containsExactly(
                new FaultOverride(new FaultMatch("ratings", "v2", "/r", "end-user", "jason"),
                        Fault.delay(Duration.ofMillis(1500)), new FaultTrigger.Percentage(50)),
                new FaultOverride(FaultMatch.host("ratings"), Fault.abort(503), new FaultTrigger.Requests(List.of(
                        new FaultTrigger.Range(3, 3), new FaultTrigger.Range(7, 7), new FaultTrigger.Range(10, 20)))),
                new FaultOverride(FaultMatch.host("reviews"), new Fault.DelayThenAbort(Duration.ofMillis(200), 500),
                        new FaultTrigger.FirstAttempts(2, CallKey.header("idempotency-key"))));
    }

    @InjectAbort(host = "ratings", status = 503, requests = "2", firstAttempts = 1)
    void twoTriggers() {}

    @InjectAbort(host = "ratings", status = 99)
    void badStatus() {}

    @InjectFault(host = "ratings")
    void nothingToDo() {}

    @InjectAbort(host = "ratings", status = 503, requests = "3-x")
    void badRequests() {}

    @Test
    void misuseNamesTheAnnotationTheMethodAndTheProblem() {
        assertThatThrownBy(() -> read("twoTriggers")).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("@InjectAbort(host = \"ratings\") on FaultAnnotationsTest.twoTriggers(): "
                        + "percentage, requests and firstAttempts exclude each other");
        assertThatThrownBy(() -> read("badStatus")).hasMessageEndingWith("badStatus(): abort status must be 200-599 (was 99)");
        assertThatThrownBy(() -> read("nothingToDo")).hasMessageEndingWith("nothingToDo(): give a delay, an abort or both");
        assertThatThrownBy(() -> read("badRequests")).hasMessageEndingWith("requests must look like \"3,7,10-20\" (was \"3-x\")");
    }

    private List<FaultOverride> read(String method) throws Exception {
        return FaultAnnotations.read(getClass().getDeclaredMethod(method));
    }
}
