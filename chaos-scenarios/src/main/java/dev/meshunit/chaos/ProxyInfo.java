package dev.meshunit.chaos;

import java.util.List;

/**
 * What a proxy looks like now. {@code listen} is the bound address ({@code 127.0.0.1:41234}) once
 * the proxy has been enabled; {@code upstream} is echoed as given. Toxics are upstream first.
 */
public record ProxyInfo(String name, String listen, String upstream, boolean enabled, List<ToxicSpec> toxics) {
    public ProxyInfo {
        toxics = List.copyOf(toxics);
    }

    /** The bound port, for clients to connect to. */
    public int port() {
        return Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
    }
}
