#!/usr/bin/env bash
# Soak: `meshunit proxy` under a small heap for a bounded time, with normal keep-alive clients, large-header
# clients (58 headers of 1,000 bytes), slowloris clients and clients of a silent upstream mixed; samples post-GC
# heap, file descriptors, threads and RSS of the proxy's JVM every interval. See README.md beside this file.
#
# Usage: examples/bench/soak.sh [--duration 180] [--interval 15] [--heap 64m] [--normal 4] [--big 2] [--slow 50]
#        [--silent 2] [--request-headers-timeout 60s] [--stream-idle-timeout 5m]   (the proxy's defaults)
# Output: one CSV line per sample (seconds, post-GC heap MiB, fds, threads, RSS MiB, normal answer to a probe),
#         then the load's totals as JSON. Environment: MESHUNIT_JAR, BENCH_KEEP=1 keeps the temp dir.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/examples/bench"
DURATION=180 INTERVAL=15 HEAP=64m NORMAL=4 BIG=2 SLOW=50 SILENT=2 HEADERS_TIMEOUT=60s STREAM_IDLE=5m
MESHUNIT_JAR=${MESHUNIT_JAR:-$ROOT/chaos-scenarios/target/meshunit.jar}
while [ $# -gt 0 ]; do
  case $1 in
    --duration) DURATION=${2:?}; shift 2 ;;
    --interval) INTERVAL=${2:?}; shift 2 ;;
    --heap) HEAP=${2:?}; shift 2 ;;
    --normal) NORMAL=${2:?}; shift 2 ;;
    --big) BIG=${2:?}; shift 2 ;;
    --slow) SLOW=${2:?}; shift 2 ;;
    --silent) SILENT=${2:?}; shift 2 ;;
    --request-headers-timeout) HEADERS_TIMEOUT=${2:?}; shift 2 ;;
    --stream-idle-timeout) STREAM_IDLE=${2:?}; shift 2 ;;
    *) echo "soak: unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$DURATION" -le 3600 ] || { echo "soak: --duration is bounded to 3600 s" >&2; exit 2; }
if [ ! -f "$MESHUNIT_JAR" ]; then
  echo "soak: $MESHUNIT_JAR missing: building it (mvn -B -q -DskipTests package)" >&2
  (cd "$ROOT" && mvn -B -q -DskipTests package)
fi

WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "soak: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

python3 "$HERE/soak_backend.py" > "$WORK/backend.port" & PIDS+=($!)
for _ in $(seq 50); do [ -s "$WORK/backend.port" ] && break; sleep 0.1; done
ORIGIN=$(cat "$WORK/backend.port")
cat > "$WORK/reviews.yaml" <<YAML
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: reviews}
spec:
  hosts: [reviews]
  location: MESH_INTERNAL
  resolution: STATIC
  ports: [{number: 9080, name: http, protocol: HTTP}]
  endpoints: [{address: 127.0.0.1, ports: {http: $ORIGIN}}]
YAML
java "-Xmx$HEAP" -Ddev.meshunit.shaded.io.netty.leakDetection.level=disabled -jar "$MESHUNIT_JAR" proxy --config "$WORK/reviews.yaml" \
  --request-headers-timeout "$HEADERS_TIMEOUT" --stream-idle-timeout "$STREAM_IDLE" \
  > "$WORK/proxy.out" 2> "$WORK/proxy.err" & PROXY=$!; PIDS+=($PROXY)
for _ in $(seq 300); do grep -q listening "$WORK/proxy.out" 2>/dev/null && break; sleep 0.1; done
PORT=$(sed -n 's/.*listening on [^:]*:\([0-9]*\) admin.*/\1/p' "$WORK/proxy.out")
[ -n "$PORT" ] || { echo "soak: the proxy did not start: $(cat "$WORK/proxy.err")" >&2; exit 1; }
echo "soak: proxy pid $PROXY on port $PORT, heap $HEAP, ${DURATION}s with $NORMAL normal, $BIG large-header, $SLOW slowloris clients, $SILENT silent-upstream clients; request headers timeout $HEADERS_TIMEOUT, stream idle timeout $STREAM_IDLE" >&2

python3 "$HERE/soak_load.py" "$PORT" "$DURATION" "$NORMAL" "$BIG" "$SLOW" "$SILENT" > "$WORK/load.json" & LOAD=$!; PIDS+=($LOAD)
echo "seconds,post_gc_heap_mib,fds,threads,rss_mib,probe_status"
START=$(date +%s)
while kill -0 "$LOAD" 2>/dev/null; do
  kill -0 "$PROXY" 2>/dev/null || { echo "soak: the proxy exited: $(tail -3 "$WORK/proxy.err")" >&2; exit 1; }
  jcmd "$PROXY" GC.run > /dev/null
  HEAP_MIB=$(jstat -gc "$PROXY" | awk 'NR==2 {printf "%.1f", ($3+$4+$6+$8)/1024}')
  FDS=$(ls "/proc/$PROXY/fd" | wc -l)
  THREADS=$(awk '/^Threads:/ {print $2}' "/proc/$PROXY/status")
  RSS=$(awk '/^VmRSS:/ {printf "%.1f", $2/1024}' "/proc/$PROXY/status")
  PROBE=$(curl -s -o /dev/null -m 10 -w '%{http_code}' -H 'Host: reviews:9080' "http://127.0.0.1:$PORT/probe" || true)
  echo "$(( $(date +%s) - START )),$HEAP_MIB,$FDS,$THREADS,$RSS,$PROBE"
  sleep "$INTERVAL"
done
wait "$LOAD" || true
echo "load: $(cat "$WORK/load.json")"
