package dev.meshunit.config.build;

import dev.meshunit.config.HttpMatchRequest;
import dev.meshunit.config.StringMatch;
import java.util.LinkedHashMap;
import java.util.Map;

/** One match entry: all its conditions must hold. */
public final class MatchBuilder {
    private String name;
    private StringMatch uri;
    private StringMatch method;
    private StringMatch authority;
    private final Map<String, StringMatch> headers = new LinkedHashMap<>();
    private final Map<String, StringMatch> withoutHeaders = new LinkedHashMap<>();
    private final Map<String, StringMatch> queryParams = new LinkedHashMap<>();
    private final Map<String, String> sourceLabels = new LinkedHashMap<>();
    private Boolean ignoreUriCase;
    private Integer port;

    MatchBuilder() {}

    public MatchBuilder name(String name) {
        this.name = name;
        return this;
    }

    public MatchBuilder uri(StringMatch uri) {
        this.uri = uri;
        return this;
    }

    public MatchBuilder ignoreUriCase() {
        this.ignoreUriCase = true;
        return this;
    }

    /** Exact, case-sensitive method, e.g. {@code GET}. */
    public MatchBuilder method(String method) {
        this.method = StringMatch.exact(method);
        return this;
    }

    public MatchBuilder authority(StringMatch authority) {
        this.authority = authority;
        return this;
    }

    public MatchBuilder header(String name, StringMatch match) {
        headers.put(name, match);
        return this;
    }

    public MatchBuilder withoutHeader(String name, StringMatch match) {
        withoutHeaders.put(name, match);
        return this;
    }

    public MatchBuilder queryParam(String name, StringMatch match) {
        queryParams.put(name, match);
        return this;
    }

    public MatchBuilder port(int port) {
        this.port = port;
        return this;
    }

    /** Labels of the calling workload (Istio selects client proxies with these). */
    public MatchBuilder sourceLabel(String key, String value) {
        sourceLabels.put(key, value);
        return this;
    }

    HttpMatchRequest build() {
        return new HttpMatchRequest(name, uri, null, method, authority, headers, withoutHeaders, queryParams, ignoreUriCase,
                port, sourceLabels, null, null, null);
    }
}
