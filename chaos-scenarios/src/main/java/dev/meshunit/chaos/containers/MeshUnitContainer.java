package dev.meshunit.chaos.containers;

import dev.meshunit.journal.Exchange;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * {@code meshunit proxy} in a container, on a Docker network beside the system under test's containers: the
 * application reaches its dependencies through it, as its HTTP proxy ({@code http://meshunit:15001}, routing by
 * absolute URI) or by TCP toxic proxies the test adds on the Toxiproxy API (listening on {@code 0.0.0.0} inside the
 * container, reached by a network alias). The test drives it through the admin API and reads its journal as
 * {@link Exchange}s for {@code MeshAssertions}.
 * <pre>{@code
 * MeshUnitContainer mesh = MeshUnitContainer.fromClasspath(System.getProperty("tc.jre.image"))
 *         .withConfig(MESH_YAML).withNetwork(network).withNetworkAliases("meshunit", "redis");
 * }</pre>
 * Config files go to {@code /etc/meshunit}; the proxy runs with {@code --bind 0.0.0.0}, proxy port 15001, admin
 * 15000, Toxiproxy API 8474, seed 0 unless {@link #withSeed}.
 */
public final class MeshUnitContainer extends GenericContainer<MeshUnitContainer> {
    public static final int PROXY_PORT = 15001;
    public static final int ADMIN_PORT = 15000;
    public static final int TOXIPROXY_PORT = 8474;
    /** What {@code tools/docker/build-meshunit-image.sh} builds from the project's base image. */
    public static final String DEFAULT_IMAGE = "meshunit/meshunit:local";
    private static final Pattern RUNTIME_JAR = Pattern.compile("(meshunit-|netty-|jackson-|snakeyaml|re2j|prometheus-metrics-"
            + "|HdrHistogram|uplot|json-path|json-smart|accessors-smart|asm-|slf4j-api).*(?<!-tests)\\.jar");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> configs = new ArrayList<>();
    private long seed;

    /** An image that has {@code meshunit.jar} as its entry point ({@link #DEFAULT_IMAGE}). */
    public MeshUnitContainer(String image) {
        super(DockerImageName.parse(image));
        setUp();
    }

    private MeshUnitContainer(Future<String> image) {
        super(image);
        setUp();
    }

    /**
     * An image built now from {@code baseImage} (a local image with a JRE) and MeshUnit's classes and runtime
     * dependencies from this JVM's class path: for builds that have {@code meshunit-chaos} on their test class path
     * and no prebuilt image.
     */
    public static MeshUnitContainer fromClasspath(String baseImage) {
        List<Path> cp = ClasspathImage.entries(p -> java.nio.file.Files.isDirectory(p)
                ? !p.endsWith("test-classes") && java.nio.file.Files.isDirectory(p.resolve("dev/meshunit"))
                : RUNTIME_JAR.matcher(p.getFileName().toString()).matches());
        return new MeshUnitContainer(ClasspathImage.build(baseImage,
                "meshunit/meshunit-classpath:" + Long.toHexString(System.nanoTime()), cp, "dev.meshunit.cli.Main"));
    }

    private void setUp() {
        withExposedPorts(ADMIN_PORT, PROXY_PORT, TOXIPROXY_PORT);
        waitingFor(Wait.forLogMessage(".*meshunit proxy listening on .*", 1).withStartupTimeout(Duration.ofSeconds(90)));
    }

    /** Istio YAML, copied in as {@code /etc/meshunit/NN.yaml}; give it once per file. */
    public MeshUnitContainer withConfig(String yaml) {
        String name = "/etc/meshunit/" + String.format("%02d", configs.size()) + ".yaml";
        configs.add(name);
        return withCopyToContainer(Transferable.of(yaml), name);
    }

    public MeshUnitContainer withSeed(long seed) {
        this.seed = seed;
        return this;
    }

    @Override
    protected void configure() {
        if (configs.isEmpty()) throw new IllegalStateException("MeshUnitContainer needs withConfig(yaml) before it starts");
        setCommand("proxy", "--config", "/etc/meshunit", "--bind", "0.0.0.0", "--port", Integer.toString(PROXY_PORT),
                "--admin-port", Integer.toString(ADMIN_PORT), "--toxiproxy-port", Integer.toString(TOXIPROXY_PORT),
                "--seed", Long.toString(seed));
    }

    /** The admin API as the test reaches it (a mapped port on 127.0.0.1). */
    public URI adminUri() {
        return URI.create("http://" + getHost() + ":" + getMappedPort(ADMIN_PORT));
    }

    /** The Toxiproxy-compatible API as the test reaches it; toxic proxies listen inside the container. */
    public URI toxiproxyUri() {
        return URI.create("http://" + getHost() + ":" + getMappedPort(TOXIPROXY_PORT));
    }

    /** The journal, for {@code MeshAssertions.assertThat(mesh.journal())}. */
    public List<Exchange> journal() {
        return JournalReader.exchanges(admin("GET", "/journal", null));
    }

    /** {@code POST /faults} (a fault as JSON, e.g. {@code {"host":"ratings","abort":503}}); returns the answer. */
    public String addFault(String json) {
        return admin("POST", "/faults", json);
    }

    public void clearFaults() {
        admin("DELETE", "/faults", null);
    }

    public void resetJournal() {
        admin("POST", "/journal/reset", null);
    }

    /** A call to the admin API; a status other than 2xx throws, with the answer. */
    public String admin(String method, String path, String body) {
        return call(adminUri().resolve(path), method, body);
    }

    /** A call to the Toxiproxy API, e.g. {@code toxiproxy("POST", "/proxies", "{...}")}. */
    public String toxiproxy(String method, String path, String body) {
        return call(toxiproxyUri().resolve(path), method, body);
    }

    private String call(URI uri, String method, String body) {
        HttpRequest.BodyPublisher p = body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).method(method, p).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) throw new IllegalStateException(method + " " + uri + ": " + r.statusCode() + " " + r.body());
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + uri + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
