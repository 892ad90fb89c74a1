package dev.meshunit.mirror;

import dev.meshunit.MeshProxy;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.load.ConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Service {@code users:9080} with a primary (v1), a secondary copy of it (v1b) and a candidate (v2); the
 * route serves v1 and mirrors every request to v2 and v1b. The proxy records bodies up to 64 KiB.
 */
final class Mesh implements AutoCloseable {
    final MeshProxy proxy;

    Mesh(JsonService v1, JsonService v1b, JsonService v2) {
        IstioConfig config = ConfigLoader.create().withPlaceholders(Map.of(
                "v1", Integer.toString(v1.port()), "v1b", Integer.toString(v1b.port()),
                "v2", Integer.toString(v2.port()))::get).loadString("users.yaml", """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: users}
                spec:
                  hosts: [users]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 9080, name: http, protocol: HTTP}]
                  endpoints:
                  - {address: 127.0.0.1, ports: {http: "${v1}"}, labels: {version: v1}}
                  - {address: 127.0.0.1, ports: {http: "${v1b}"}, labels: {version: v1b}}
                  - {address: 127.0.0.1, ports: {http: "${v2}"}, labels: {version: v2}}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: users}
                spec:
                  host: users
                  subsets:
                  - {name: v1, labels: {version: v1}}
                  - {name: v1b, labels: {version: v1b}}
                  - {name: v2, labels: {version: v2}}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: users}
                spec:
                  hosts: [users]
                  http:
                  - name: by-id
                    route: [{destination: {host: users, subset: v1}}]
                    mirrors:
                    - {destination: {host: users, subset: v2}}
                    - {destination: {host: users, subset: v1b}}
                """).orThrow();
        proxy = MeshProxy.builder().config(config).recordBodies(64 * 1024).start();
    }

    /** {@code n} GETs of {@code /users/<i>} on one keep-alive connection; each must answer 200. */
    void get(int n) {
        try (Socket s = new Socket("127.0.0.1", proxy.port())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            for (int i = 0; i < n; i++) {
                out.write(("GET /users/" + i + " HTTP/1.1\r\nHost: users:9080\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                readResponse(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void readResponse(InputStream in) throws IOException {
        String status = line(in);
        if (!status.startsWith("HTTP/1.1 200")) throw new AssertionError("primary answered " + status);
        int length = -1;
        for (String l = line(in); !l.isEmpty(); l = line(in)) {
            if (l.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(l.substring(15).trim());
        }
        if (length < 0) throw new AssertionError("test services always send Content-Length");
        in.readNBytes(length);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') b.append((char) c);
        }
        return b.toString();
    }

    @Override
    public void close() {
        proxy.close();
    }
}
