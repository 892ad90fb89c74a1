package dev.meshunit.chaos.containers;

import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.build.MeshConfigBuilder;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Map;
import org.testcontainers.containers.GenericContainer;

/**
 * Where a started container's port is reached from the test JVM: Testcontainers' host (127.0.0.1 with
 * {@code TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1}) and the mapped port, never the container's own address.
 */
public final class ContainerEndpoints {
    private ContainerEndpoints() {}

    /**
     * {@code container.getHost()} as an IP literal: a ServiceEntry with STATIC resolution needs an address,
     * and an upstream given by address is not resolved again on each connection.
     */
    public static String host(GenericContainer<?> container) {
        String host = container.getHost();
        try {
            return InetAddress.getByName(host).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("Testcontainers' host " + host + " does not resolve", e);
        }
    }

    /** The host port Docker maps {@code containerPort} to; the container must be started and expose it. */
    public static int port(GenericContainer<?> container, int containerPort) {
        return container.getMappedPort(containerPort);
    }

    /** {@code host:mappedPort}, the upstream of a toxic proxy in front of {@code containerPort}. */
    public static String upstream(GenericContainer<?> container, int containerPort) {
        return host(container) + ":" + port(container, containerPort);
    }

    /**
     * A ServiceEntry {@code host} with one HTTP port {@code servicePort} (named {@code http}) whose only
     * endpoint is the container's {@code containerPort}; add routing with {@link IstioConfig#plus}.
     */
    public static IstioConfig serviceEntry(String host, int servicePort, GenericContainer<?> container, int containerPort,
                                           Map<String, String> labels) {
        return MeshConfigBuilder.create()
                .serviceEntry(host, se -> se.port(servicePort, "http")
                        .endpoint(host(container), port(container, containerPort), labels))
                .build();
    }

    /**
     * Makes Docker publish the container's exposed ports on 127.0.0.1 only (at a free host port, as usual),
     * where by default it publishes them on every interface. Call before the container starts; returns it.
     * Use it when Testcontainers' host is this machine's loopback.
     */
    public static <C extends GenericContainer<?>> C publishOnLoopback(C container) {
        container.withCreateContainerCmdModifier(cmd -> {
            if (cmd.getExposedPorts() == null || cmd.getHostConfig() == null) return;
            cmd.getHostConfig().withPortBindings(Arrays.stream(cmd.getExposedPorts())
                    .map(port -> new PortBinding(Ports.Binding.bindIp("127.0.0.1"), port))
                    .toList());
        });
        return container;
    }
}
