# Shared by run.sh and profile.sh (sourced).

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
