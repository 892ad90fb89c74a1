#!/usr/bin/env bash
# Profiles `meshunit proxy` under the benchmark's small-body load with Java Flight Recorder.
# Prints requests, allocated bytes per request, GC pauses, and the top allocation sites and CPU frames.
#
# Usage: examples/bench/profile.sh [--jar JAR] [--duration 20s] [--warmup 10s] [--body small|16k] [--out DIR]
# Environment: SERVER_CPU (0), CLIENT_CPU (1), MESHUNIT_JAVA_OPTS (the benchmark's flags).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=lib.sh
. "$ROOT/examples/bench/lib.sh"
JAR=$ROOT/chaos-scenarios/target/meshunit.jar
DURATION=20s
WARMUP=10s
BODY=small
OUT=""
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
MESHUNIT_JAVA_OPTS=${MESHUNIT_JAVA_OPTS:-$MESHUNIT_JAVA_OPTS_DEFAULT}
while [ $# -gt 0 ]; do
  case $1 in
    --jar) JAR=${2:?}; shift 2 ;;
    --duration) DURATION=${2:?}; shift 2 ;;
    --warmup) WARMUP=${2:?}; shift 2 ;;
    --body) BODY=${2:?}; shift 2 ;;
    --out) OUT=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "profile: unknown argument $1" >&2; exit 1 ;;
  esac
done
[ -f "$JAR" ] || { echo "profile: $JAR missing (mvn -B -DskipTests package)" >&2; exit 1; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/meshunit-profile.XXXXXX"); chmod 755 "$WORK"
OUT=${OUT:-$WORK}; mkdir -p "$OUT"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -TERM -- "-$p" 2>/dev/null || true; done; sleep 1
            for p in "${PIDS[@]}"; do kill -KILL -- "-$p" 2>/dev/null || true; done; [ "$OUT" = "$WORK" ] || rm -rf "$WORK"; }
trap cleanup EXIT
port() { echo $(( 30000 + RANDOM % 10000 )); }
mkdir -p "$WORK/www" "$WORK/logs" "$WORK/tmp"; chown nobody "$WORK/tmp" 2>/dev/null || true
printf 'hello world!\n' >"$WORK/www/small"; head -c 16384 /dev/zero | tr '\0' 'x' >"$WORK/www/16k"
OP=$(port)
cat >"$WORK/nginx.conf" <<NG
worker_processes 1; daemon off; user nobody nogroup; pid $WORK/nginx.pid; error_log $WORK/logs/error.log warn;
events { worker_connections 1024; }
http { access_log off; sendfile on; tcp_nodelay on; keepalive_requests 1000000; client_body_temp_path $WORK/tmp/b;
  proxy_temp_path $WORK/tmp/p; fastcgi_temp_path $WORK/tmp/f; uwsgi_temp_path $WORK/tmp/u; scgi_temp_path $WORK/tmp/s;
  server { listen 127.0.0.1:$OP; open_file_cache max=16; location / { root $WORK/www; } } }
NG
setsid taskset -c "$SERVER_CPU" nginx -p "$WORK" -e "$WORK/logs/error.log" -c "$WORK/nginx.conf" >/dev/null 2>&1 </dev/null & PIDS+=($!)
write_meshunit_config "$WORK/meshunit.yaml" "$OP"
# shellcheck disable=SC2086
setsid taskset -c "$SERVER_CPU" java $MESHUNIT_JAVA_OPTS -Xlog:gc:file="$OUT/gc.log" -jar "$JAR" proxy \
  --config "$WORK/meshunit.yaml" --port 0 --admin-port 0 --bind 127.0.0.1 >"$OUT/meshunit.log" 2>&1 </dev/null &
PIDS+=($!); MPID=$!
for _ in $(seq 300); do grep -q 'listening on' "$OUT/meshunit.log" && break; sleep 0.2; done
MP=$(sed -nE 's/^meshunit proxy listening on 127\.0\.0\.1:([0-9]+) admin .*/\1/p' "$OUT/meshunit.log" | head -n1)
[ -n "$MP" ] || { cat "$OUT/meshunit.log"; exit 1; }
JPID=$MPID
echo "transport: $(meshunit_transport "$JPID")"
for _ in $(seq 50); do curl -fsS -o /dev/null -H 'Host: origin' "http://127.0.0.1:$MP/$BODY" && break; sleep 0.2; done
taskset -c "$CLIENT_CPU" wrk -t1 -c32 -d"$WARMUP" -H 'Host: origin' "http://127.0.0.1:$MP/$BODY" >/dev/null
jcmd "$JPID" JFR.start name=p settings=profile filename="$OUT/profile.jfr" >/dev/null
jcmd "$JPID" GC.heap_info | grep -E 'total|used' | head -3 >"$OUT/heap-before.txt" || true
taskset -c "$CLIENT_CPU" wrk -t1 -c32 -d"$DURATION" --latency -H 'Host: origin' "http://127.0.0.1:$MP/$BODY" >"$OUT/wrk.txt"
jcmd "$JPID" JFR.stop name=p >/dev/null
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
grep -E 'Requests/sec|requests in|99%|50%' "$OUT/wrk.txt"
REQS=$(awk '/requests in/ {print $1}' "$OUT/wrk.txt")
HERE=$(dirname "${BASH_SOURCE[0]}")
python3 "$HERE/jfr_alloc.py" "$OUT/profile.jfr" >"$OUT/allocated.txt"
python3 "$HERE/jfr_alloc.py" "$OUT/profile.jfr" meshunit-1- >"$OUT/allocated-loops.txt"   # the proxy's event loops
per_request() { awk -v a="$(cat "$1")" -v r="$REQS" 'BEGIN {printf "%.0f", a/r}'; }
echo "allocated during the recording: $(cat "$OUT/allocated.txt") bytes, $(per_request "$OUT/allocated.txt") bytes/request;" \
  "by the event loops: $(per_request "$OUT/allocated-loops.txt") bytes/request"
jfr summary "$OUT/profile.jfr" | grep -E 'jdk.GarbageCollection |jdk.ExecutionSample|jdk.ObjectAllocationSample ' || true
jfr print --events jdk.GarbageCollection "$OUT/profile.jfr" | awk '/longestPause/ {print $3, $4}' | sort -n | tail -3 | tr '\n' ' '; echo "(longest GC pauses)"
python3 "$HERE/jfr_top.py" "$OUT/profile.jfr" 20 >"$OUT/top.txt" && echo "top frames: $OUT/top.txt"
