package dev.meshunit.chaos;

import dev.meshunit.chaos.containers.ContainerEndpoints;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/** The locally built images (tools/docker/build-images.sh); never pulled, as no registry is reachable. */
final class ContainerImages {
    static final DockerImageName BUSYBOX = DockerImageName.parse(System.getProperty("tc.busybox.image", "tc-local/busybox:1"));
    static final int ECHO_PORT = 7000;

    private ContainerImages() {
    }

    /** busybox {@code nc}: a TCP echo server on {@link #ECHO_PORT}, one {@code cat} per connection. */
    static GenericContainer<?> echoServer() {
        return ContainerEndpoints.publishOnLoopback(new GenericContainer<>(BUSYBOX)
                .withCommand("nc", "-ll", "-p", Integer.toString(ECHO_PORT), "-e", "cat")
                .withExposedPorts(ECHO_PORT));
    }
}
