package dev.meshunit.config;

import java.util.List;
import java.util.Map;

/** One {@code match} entry of an HTTP route; all of its fields must hold (AND), entries of a list are OR. */
public record HttpMatchRequest(
        String name,
        StringMatch uri,
        StringMatch scheme,
        StringMatch method,
        StringMatch authority,
        Map<String, StringMatch> headers,
        Map<String, StringMatch> withoutHeaders,
        Map<String, StringMatch> queryParams,
        Boolean ignoreUriCase,
        Integer port,
        Map<String, String> sourceLabels,
        String sourceNamespace,
        List<String> gateways,
        String statPrefix) {

    public HttpMatchRequest {
        headers = Immutables.map(headers);
        withoutHeaders = Immutables.map(withoutHeaders);
        queryParams = Immutables.map(queryParams);
        sourceLabels = Immutables.map(sourceLabels);
        gateways = Immutables.list(gateways);
    }

    public boolean ignoreCase() {
        return Boolean.TRUE.equals(ignoreUriCase);
    }
}
