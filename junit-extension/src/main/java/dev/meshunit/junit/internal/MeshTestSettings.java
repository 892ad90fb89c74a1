package dev.meshunit.junit.internal;

import dev.meshunit.VirtualTime;
import dev.meshunit.downstream.DownstreamLimits;
import dev.meshunit.junit.MeshTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** Reads {@link MeshTest}'s attributes into {@link MeshSettings}; a malformed one fails naming the attribute. */
public final class MeshTestSettings {
    private MeshTestSettings() {}

    public static MeshSettings of(MeshTest a, Class<?> testClass) {
        List<ProxySetting> proxy = new ArrayList<>();
        proxy.add(new ProxySetting("seed = " + a.seed(), b -> b.seed(a.seed())));
        proxy.add(new ProxySetting("listenerPerService = " + a.listenerPerService(), b -> b.listenerPerService(a.listenerPerService())));
        proxy.add(new ProxySetting("retryDefaults = " + a.retryDefaults(), b -> b.retryDefaults(a.retryDefaults())));
        proxy.add(new ProxySetting("journalCapacity = " + a.journalCapacity(), b -> b.journalCapacity(a.journalCapacity())));
        proxy.add(new ProxySetting("maxBufferedBodyBytes = " + a.maxBufferedBodyBytes(),
                b -> b.maxBufferedBodyBytes(a.maxBufferedBodyBytes())));
        if (a.recordBodies() != 0) {
            proxy.add(new ProxySetting("recordBodies = " + a.recordBodies(), b -> b.recordBodies(a.recordBodies())));
        }
        Map<String, String> labels = pairs(a.sourceLabels(), "sourceLabels", testClass);
        proxy.add(new ProxySetting("sourceNamespace = \"" + a.sourceNamespace() + "\"",
                b -> b.source(a.sourceNamespace(), labels)));
        proxy.add(new ProxySetting("bindAddress = \"" + a.bindAddress() + "\"", b -> b.bindAddress(a.bindAddress())));
        proxy.add(new ProxySetting("port = " + a.port(), b -> b.port(a.port())));
        if (a.ioThreads() != 0) proxy.add(new ProxySetting("ioThreads = " + a.ioThreads(), b -> b.ioThreads(a.ioThreads())));
        proxy.add(downstream(a, testClass));
        return new MeshSettings(List.of(a.config()), null, pairs(a.placeholders(), "placeholders", testClass),
                a.applyInOrder(), a.perMethod(), a.jvmWideProxy(), proxy, a.toxics(), a.seed(),
                // read again for each proxy the extension starts: with perMethod each test's time starts afresh
                a.virtualTime() ? VirtualTime.create() : null);
    }

    /** The downstream limits and timeouts, checked now so that a bad value names its attribute. */
    private static ProxySetting downstream(MeshTest a, Class<?> testClass) {
        String where = "@MeshTest on " + testClass.getName();
        DownstreamLimits d = a.istioSidecarTimeouts() ? DownstreamLimits.ISTIO_SIDECAR : DownstreamLimits.DEFAULT;
        try {
            if (!a.requestHeadersTimeout().isEmpty()) d = d.withRequestHeadersTimeout(timeout(where + " requestHeadersTimeout", a.requestHeadersTimeout()));
            if (!a.streamIdleTimeout().isEmpty()) d = d.withStreamIdleTimeout(timeout(where + " streamIdleTimeout", a.streamIdleTimeout()));
            if (!a.idleTimeout().isEmpty()) d = d.withIdleTimeout(timeout(where + " idleTimeout", a.idleTimeout()));
            d = d.withMaxHeaders(a.maxHeadersCount(), a.maxRequestHeadersKb() * 1024).withMaxConnections(a.maxConnections());
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException(where + ": " + e.getMessage(), e);
        }
        DownstreamLimits limits = d;
        return new ProxySetting("downstreamLimits = " + limits, b -> b.downstreamLimits(limits));
    }

    private static Duration timeout(String where, String text) {
        return text.strip().matches("0+(ms|s|m)?") ? Duration.ZERO : FaultAnnotations.duration(where, text);
    }

    /** {@code {"app=productpage", "version=v1"}}: each entry {@code name=value}. */
    static Map<String, String> pairs(String[] entries, String attribute, Class<?> testClass) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq < 1) {
                throw new ExtensionConfigurationException("@MeshTest(" + attribute + ") of " + testClass.getSimpleName()
                        + ": \"" + entry + "\" is not name=value");
            }
            map.put(entry.substring(0, eq).strip(), entry.substring(eq + 1).strip());
        }
        return map;
    }
}
