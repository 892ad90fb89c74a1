package dev.meshunit.config;

import java.time.Duration;
import java.util.List;

/** Passive health checking; absent fields take Envoy's defaults as Istio passes them. */
public record OutlierDetection(
        Integer consecutive5xxErrors, Integer consecutiveGatewayErrors, Integer consecutiveLocalOriginFailures,
        Boolean splitExternalLocalOriginErrors, Integer consecutiveErrors, Duration interval,
        Duration baseEjectionTime, Integer maxEjectionPercent, Integer minHealthPercent,
        List<Integer> outlierDetectionHttpErrorCodes) {

    public OutlierDetection {
        outlierDetectionHttpErrorCodes = Immutables.list(outlierDetectionHttpErrorCodes);
    }
}
