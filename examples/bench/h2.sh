#!/usr/bin/env bash
# HTTP/2 and gRPC through MeshUnit's proxy, next to nginx as an h2c reverse proxy, in one run.
# See README.md beside this file ("HTTP/2 and gRPC") for what is measured and how to read it.
#
# Usage: examples/bench/h2.sh [--runs 2] [--duration 10] [--warmup 3] [--clients 8] [--streams 8]
#   --duration S   seconds per measured h2load round and per gRPC round (the gRPC client warms up as long)
#   --clients N    h2load connections (-c); --streams M: concurrent streams per connection (-m)
# Environment: SERVER_CPU (default 0), CLIENT_CPU (default 1), MESHUNIT_JAVA_OPTS, MESHUNIT_JAR,
#              GRPC_CONCURRENCY (default 32 calls in flight), BENCH_KEEP=1 keeps the temp dir.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=lib.sh
. "$ROOT/examples/bench/lib.sh"
RUNS=2
DURATION=10
WARMUP=3
CLIENTS=8
STREAMS=8
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
GRPC_CONCURRENCY=${GRPC_CONCURRENCY:-32}
MESHUNIT_JAR=${MESHUNIT_JAR:-$ROOT/chaos-scenarios/target/meshunit.jar}
MESHUNIT_JAVA_OPTS=${MESHUNIT_JAVA_OPTS:-$MESHUNIT_JAVA_OPTS_DEFAULT}

die() { printf 'h2 bench: %s\n' "$*" >&2; exit 1; }
log() { printf 'h2 bench: %s\n' "$*" >&2; }

while [ $# -gt 0 ]; do
  case $1 in
    --runs) RUNS=${2:?}; shift 2 ;;
    --duration) DURATION=${2:?}; shift 2 ;;
    --warmup) WARMUP=${2:?}; shift 2 ;;
    --clients) CLIENTS=${2:?}; shift 2 ;;
    --streams) STREAMS=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (try --help)" ;;
  esac
done
[ "$(nproc)" -ge 2 ] || die "needs 2 cores: servers on core $SERVER_CPU, clients on core $CLIENT_CPU"

missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v h2load >/dev/null 2>&1 || missing+=(nghttp2-client)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "missing ${missing[*]}: apt-get install ${missing[*]}, or run as root"
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 "${missing[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
if [ ! -f "$MESHUNIT_JAR" ]; then
  log "building $MESHUNIT_JAR (mvn -B -q -DskipTests package)"
  (cd "$ROOT" && mvn -B -q -DskipTests package) || die "the build failed"
fi
log "compiling the gRPC client and reading the examples' test classpath"
CP_FILE=$(mktemp)
(cd "$ROOT" && mvn -B -q -pl examples -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  "-Dmdep.outputFile=$CP_FILE" >&2) || die "could not build the examples' classpath"
GRPC_CP="$ROOT/examples/target/test-classes:$(cat "$CP_FILE")"
rm -f "$CP_FILE"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/meshunit-h2bench.XXXXXX")
chmod 755 "$WORK"
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
  if [ "${BENCH_KEEP:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
spawn() { local logfile=$1; shift; setsid taskset -c "$SERVER_CPU" "$@" >"$logfile" 2>&1 </dev/null & PIDS+=($!); LAST_PID=$!; }
wait_h2() {   # wait_h2 NAME PORT AUTHORITY PID LOG
  local deadline=$(( SECONDS + 60 ))
  until curl -fsS -o /dev/null --http2-prior-knowledge -H "Host: $3" "http://127.0.0.1:$2/small" 2>/dev/null; do
    kill -0 "$4" 2>/dev/null || { cat "$5" >&2; die "$1 exited before answering"; }
    [ "$SECONDS" -lt "$deadline" ] || { cat "$5" >&2; die "$1 did not answer h2c on 127.0.0.1:$2"; }
    sleep 0.2
  done
}

# ---------------------------------------------------------------- origin and nginx proxies
mkdir -p "$WORK/www"
printf 'hello world!\n' >"$WORK/www/small"
head -c 16384 /dev/zero | tr '\0' 'x' >"$WORK/www/16k"
BODIES=(small 16k)
nginx_start() {   # nginx_start NAME SERVER_BLOCK
  local dir="$WORK/$1"
  mkdir -p "$dir/logs" "$dir/tmp"; chown nobody "$dir/tmp" 2>/dev/null || true
  cat >"$dir/nginx.conf" <<EOF
worker_processes 1;
daemon off;
user nobody nogroup;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  default_type application/octet-stream;
  sendfile on;
  tcp_nodelay on;
  keepalive_requests 1000000;
  http2_max_requests 1000000;
  keepalive_timeout 60s;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
$2
}
EOF
  spawn "$dir/logs/stdout.log" "$NGINX" -p "$dir" -e "$dir/logs/error.log" -c "$dir/nginx.conf"
}
ORIGIN_H2=$(free_port); ORIGIN_H1=$(free_port)
# One origin, two doors: h2c with prior knowledge, and HTTP/1.1.
nginx_start origin "  server {
    listen 127.0.0.1:$ORIGIN_H2 http2;
    listen 127.0.0.1:$ORIGIN_H1;
    location / { root $WORK/www; }
  }"
wait_h2 "nginx origin" "$ORIGIN_H2" origin "$LAST_PID" "$WORK/origin/logs/error.log"
TARGETS=("direct $ORIGIN_H2 origin")
port=$(free_port)
# h2c in; upstream HTTP/2 with grpc_pass (nginx's only HTTP/2 upstream), pooled.
nginx_start nginx-h2 "  upstream origin { server 127.0.0.1:$ORIGIN_H2; keepalive 64; }
  server { listen 127.0.0.1:$port http2; location / { grpc_pass grpc://origin; } }"
wait_h2 "nginx h2 proxy" "$port" origin "$LAST_PID" "$WORK/nginx-h2/logs/error.log"
TARGETS+=("nginx-h2-h2 $port origin")
port=$(free_port)
nginx_start nginx-h1 "  upstream origin { server 127.0.0.1:$ORIGIN_H1; keepalive 64; }
  server { listen 127.0.0.1:$port http2;
    location / { proxy_pass http://origin; proxy_http_version 1.1; proxy_set_header Connection \"\"; } }"
wait_h2 "nginx h1 proxy" "$port" origin "$LAST_PID" "$WORK/nginx-h1/logs/error.log"
TARGETS+=("nginx-h2-h1 $port origin")

# ---------------------------------------------------------------- gRPC server and MeshUnit
GRPC_PORT=$(free_port)
spawn "$WORK/grpc-server.log" java -Xms256m -Xmx256m -cp "$GRPC_CP" dev.meshunit.examples.bench.GrpcUnaryBench server "$GRPC_PORT"
deadline=$(( SECONDS + 60 ))
until grep -q 'listening' "$WORK/grpc-server.log"; do
  [ "$SECONDS" -lt "$deadline" ] || { cat "$WORK/grpc-server.log" >&2; die "the gRPC server did not start"; }
  sleep 0.2
done
cat >"$WORK/meshunit.yaml" <<EOF
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: origin-h2}
spec:
  hosts: [origin-h2]
  location: MESH_INTERNAL
  resolution: STATIC
  ports: [{number: 80, name: http2, protocol: HTTP2}]
  endpoints: [{address: 127.0.0.1, ports: {http2: $ORIGIN_H2}}]
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: origin-h1}
spec:
  hosts: [origin-h1]
  location: MESH_INTERNAL
  resolution: STATIC
  ports: [{number: 80, name: http, protocol: HTTP}]
  endpoints: [{address: 127.0.0.1, ports: {http: $ORIGIN_H1}}]
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: echo}
spec:
  hosts: [echo]
  location: MESH_INTERNAL
  resolution: STATIC
  ports: [{number: 9090, name: grpc, protocol: GRPC}]
  endpoints: [{address: 127.0.0.1, ports: {grpc: $GRPC_PORT}}]
EOF
# shellcheck disable=SC2086
spawn "$WORK/meshunit.log" java $MESHUNIT_JAVA_OPTS -jar "$MESHUNIT_JAR" proxy \
  --config "$WORK/meshunit.yaml" --port 0 --admin-port 0 --bind 127.0.0.1
mpid=$LAST_PID; MPORT=""
deadline=$(( SECONDS + 60 ))
until [ -n "$MPORT" ]; do
  MPORT=$(sed -nE 's/^meshunit proxy listening on 127\.0\.0\.1:([0-9]+) admin .*/\1/p' "$WORK/meshunit.log" | head -n1)
  [ -n "$MPORT" ] && break
  kill -0 "$mpid" 2>/dev/null || { cat "$WORK/meshunit.log" >&2; die "the MeshUnit proxy exited"; }
  [ "$SECONDS" -lt "$deadline" ] || { cat "$WORK/meshunit.log" >&2; die "no 'listening on' line in 60 s"; }
  sleep 0.2
done
wait_h2 "MeshUnit" "$MPORT" origin-h2 "$mpid" "$WORK/meshunit.log"
TARGETS+=("meshunit-h2-h2 $MPORT origin-h2" "meshunit-h2-h1 $MPORT origin-h1")

for t in "${TARGETS[@]}"; do
  read -r name port authority <<<"$t"
  for body in "${BODIES[@]}"; do
    got=$(curl -fsS --http2-prior-knowledge -H "Host: $authority" "http://127.0.0.1:$port/$body" | wc -c)
    [ "$got" = "$(wc -c <"$WORK/www/$body")" ] || die "$name: /$body gave $got bytes"
  done
done

# ---------------------------------------------------------------- measure
h2_run() {   # h2_run SECONDS PORT AUTHORITY BODY LOGFILE -> h2load's output
  taskset -c "$CLIENT_CPU" h2load -t1 -c"$CLIENTS" -m"$STREAMS" -D"$1" --warm-up-time=1 \
    -H ":authority: $3" --log-file="$5" "http://127.0.0.1:$2/$4"
}
percentile() {   # percentile LOGFILE P -> ms; the log's third column is each request's time in µs
  awk '{print $3}' "$1" | sort -n | awk -v p="$2" '{v[NR] = $1} END { i = int(NR * p / 100); if (i < 1) i = 1; printf "%.3f", v[i] / 1000 }'
}
cpu_busy() {
  local a b
  a=$(grep "^cpu$1 " /proc/stat); sleep 2; b=$(grep "^cpu$1 " /proc/stat)
  awk -v a="$a" -v b="$b" 'BEGIN { split(a, x); split(b, y); t = 0
    for (i = 2; i <= 9; i++) t += y[i] - x[i]
    idle = (y[5] - x[5]) + (y[6] - x[6]); printf "%.0f", t ? 100 * (t - idle) / t : 0 }'
}
UPTIME_BEFORE=$(uptime)
BUSY_NOTE="before measuring, servers idle: core $SERVER_CPU $(cpu_busy "$SERVER_CPU")% busy, core $CLIENT_CPU $(cpu_busy "$CLIENT_CPU")% busy"
log "$BUSY_NOTE; $UPTIME_BEFORE"
for t in "${TARGETS[@]}"; do
  read -r name port authority <<<"$t"
  for body in "${BODIES[@]}"; do h2_run "$WARMUP" "$port" "$authority" "$body" /dev/null >/dev/null; done
done
RESULTS=()
for run in $(seq "$RUNS"); do
  for t in "${TARGETS[@]}"; do
    read -r name port authority <<<"$t"
    for body in "${BODIES[@]}"; do
      lf="$WORK/h2load-$name-$body-$run.log"
      out=$(h2_run "$DURATION" "$port" "$authority" "$body" "$lf")
      echo "$out" >"$WORK/h2load-$name-$body-$run.txt"
      rps=$(awk '/^finished in/ {gsub(/,/, ""); print $4}' <<<"$out")
      errors=$(awk '/^requests:/ {gsub(/,/, ""); print $10 + $12}' <<<"$out")
      non2xx=$(awk '/^status codes:/ {gsub(/,/, ""); print $5 + $7 + $9}' <<<"$out")
      p50=$(percentile "$lf" 50); p99=$(percentile "$lf" 99)
      log "run $run: $name /$body: $rps req/s, p50 $p50 ms, p99 $p99 ms, $((errors + non2xx)) errors"
      RESULTS+=("$name $body $rps $p50 $p99 $((errors + non2xx))")
      rm -f "$lf"
    done
  done
done
GRPC=()
for run in $(seq "$RUNS"); do
  for t in "direct 127.0.0.1:$GRPC_PORT" "meshunit 127.0.0.1:$MPORT"; do
    read -r name target <<<"$t"
    out=$(taskset -c "$CLIENT_CPU" java -Xms256m -Xmx256m -cp "$GRPC_CP" dev.meshunit.examples.bench.GrpcUnaryBench \
      client "$target" echo:9090 "$DURATION" "$GRPC_CONCURRENCY" 64 | tail -n1)
    log "run $run: grpc $name: $out (calls/s p50 p99 errors)"
    GRPC+=("$name $out")
  done
done
UPTIME_AFTER=$(uptime)

# ---------------------------------------------------------------- report
median_of() {   # median_of NAME [BODY] over RESULTS or GRPC lines -> "rps p50 p99 errors min max"
  local line
  for line in "${@:3}"; do
    read -r n b rest <<<"$line"
    if [ "$n" != "$1" ]; then continue; fi
    if [ "$2" = "-" ]; then echo "$b $rest"; elif [ "$b" = "$2" ]; then echo "$rest"; fi
  done | sort -n -k1,1 | awk '{ row[NR] = $1 " " $2 " " $3; e += $4; r[NR] = $1 } END { if (NR) print row[int((NR + 1) / 2)], e, r[1], r[NR] }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "-" }'; }
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $("$NGINX" -v 2>&1 | sed 's/.*: //'), $(h2load --version | head -n1)"
echo "h2load -t1 -c$CLIENTS -m$STREAMS -D$DURATION (h2c prior knowledge, GET); $RUNS interleaved runs, median shown; $BUSY_NOTE"
echo "uptime before: $UPTIME_BEFORE"
echo "uptime after:  $UPTIME_AFTER"
echo "MeshUnit: $(java -version 2>&1 | head -n1), $MESHUNIT_JAVA_OPTS"
echo
echo "| target (downstream-upstream) | body | req/s | p50 (ms) | p99 (ms) | vs nginx (same upstream) | vs direct | req/s min-max | errors |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for body in "${BODIES[@]}"; do
  direct=$(median_of direct "$body" "${RESULTS[@]}" | awk '{print $1}')
  for t in "${TARGETS[@]}"; do
    read -r name _ <<<"$t"
    read -r rps p50 p99 errors min max <<<"$(median_of "$name" "$body" "${RESULTS[@]}")"
    peer=${name/meshunit/nginx}
    vs="-"
    if [ "$name" != "$peer" ]; then vs=$(ratio "$rps" "$(median_of "$peer" "$body" "${RESULTS[@]}" | awk '{print $1}')"); fi
    if [ "$name" != "${name#nginx}" ]; then vs="1.00"; fi
    label=$([ "$body" = small ] && echo "13 B" || echo "16 KiB")
    printf '| %s | %s | %.0f | %s | %s | %s | %s | %.0f-%.0f | %s |\n' "$name" "$label" "$rps" "$p50" "$p99" "$vs" \
      "$(ratio "$rps" "$direct")" "$min" "$max" "$errors"
  done
done
echo
echo "gRPC unary, grpc-java client and server (64-byte messages, $GRPC_CONCURRENCY calls in flight on one channel, ${DURATION} s after a ${DURATION} s warm-up):"
echo
echo "| path | calls/s | p50 (ms) | p99 (ms) | vs direct | calls/s min-max | errors |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
gdirect=$(median_of direct - "${GRPC[@]}" | awk '{print $1}')
for name in direct meshunit; do
  read -r rps p50 p99 errors min max <<<"$(median_of "$name" - "${GRPC[@]}")"
  printf '| %s | %.0f | %s | %s | %s | %.0f-%.0f | %s |\n' "$name" "$rps" "$p50" "$p99" "$(ratio "$rps" "$gdirect")" "$min" "$max" "$errors"
done
