# Shared by run.sh, profile.sh, h2.sh, startup.sh and baseline/bare-netty.sh (sourced).

# The JVM flags of the proxies measured (MESHUNIT_JAVA_OPTS replaces them). Fixed heap so that heap growth is not
# measured; the throughput collector because a benchmark cares for throughput and the pauses show in p99 anyway;
# no leak detection: it samples buffers, which is for tests, not for measuring. Both names: a plain Netty's
# (baseline/bare-netty.sh) and the relocated one, which jars before cli.NettyProperties read alone.
MESHUNIT_JAVA_OPTS_DEFAULT="-Xms512m -Xmx512m -XX:+UseParallelGC -XX:+AlwaysPreTouch -Dio.netty.leakDetection.level=disabled -Ddev.meshunit.shaded.io.netty.leakDetection.level=disabled"

# write_meshunit_config FILE ORIGIN_PORT: a ServiceEntry for host `origin` with one STATIC endpoint, the origin.
write_meshunit_config() {
  cat >"$1" <<EOF2
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: origin}
spec:
  hosts: [origin]
  location: MESH_INTERNAL
  resolution: STATIC
  ports: [{number: 80, name: http, protocol: HTTP}]
  endpoints: [{address: 127.0.0.1, ports: {http: $2}}]
EOF2
}

# meshunit_transport PID: epoll when the JVM mapped MeshUnit's shaded native epoll library, else nio.
meshunit_transport() {
  if grep -q 'netty_transport_native_epoll' "/proc/$1/maps" 2>/dev/null; then echo epoll; else echo nio; fi
}

# free_port: a port nobody listens on, among 20000-29999 (the caller defines die).
port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local p
  for _ in $(seq 50); do
    p=$(( 20000 + RANDOM % 10000 ))
    port_is_free "$p" && { echo "$p"; return; }
  done
  die "no free port found"
}
