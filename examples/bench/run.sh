#!/usr/bin/env bash
# Keep-alive GET throughput and latency of MeshUnit's proxy, next to nginx, in one run.
# See README.md beside this file for what is measured and how to read it.
#
# Usage: examples/bench/run.sh [--only nginx|meshunit|all] [--runs 3] [--duration 10s] [--warmup 15s]
#                              [--connections 32] [--extra NAME 'COMMAND']...
#   --runs N         measure every target and body N times, interleaved; the table shows the median run
#   --only nginx     direct and nginx-proxy only (no MeshUnit jar needed); same as BENCH_ONLY=nginx
#   --only meshunit  direct and MeshUnit only
#   --extra NAME CMD one more proxy to compare (may be given more than once): CMD is run with bash, pinned
#                    like the others, with MESHUNIT_JAVA_OPTS exported, and must listen on 127.0.0.1:{PORT}
#                    and forward to 127.0.0.1:{ORIGIN_PORT}; both placeholders are replaced. Example:
#                    --extra socat 'socat TCP-LISTEN:{PORT},bind=127.0.0.1,fork,reuseaddr TCP:127.0.0.1:{ORIGIN_PORT}'
# Environment: SERVER_CPU (default 0), CLIENT_CPU (default 1), MESHUNIT_JAVA_OPTS, MESHUNIT_JAR,
#              BENCH_KEEP=1 keeps the temp dir (configs, logs, raw wrk output).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=lib.sh
. "$ROOT/examples/bench/lib.sh"
ONLY=${BENCH_ONLY:-all}
RUNS=3
DURATION=10s
WARMUP=15s   # as issue 16's rig: C2 is still compiling the hot path 10 s in (15% of the core)
CONNECTIONS=32
EXTRA_NAMES=()
EXTRA_CMDS=()
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
MESHUNIT_JAR=${MESHUNIT_JAR:-$ROOT/chaos-scenarios/target/meshunit.jar}
# lib.sh says why these flags; exported, so that an --extra command can run a JVM with the same ones
export MESHUNIT_JAVA_OPTS=${MESHUNIT_JAVA_OPTS:-$MESHUNIT_JAVA_OPTS_DEFAULT}

die() { printf 'bench: %s\n' "$*" >&2; exit 1; }
log() { printf 'bench: %s\n' "$*" >&2; }

while [ $# -gt 0 ]; do
  case $1 in
    --only) ONLY=${2:?}; shift 2 ;;
    --runs) RUNS=${2:?}; shift 2 ;;
    --duration) DURATION=${2:?}; shift 2 ;;
    --warmup) WARMUP=${2:?}; shift 2 ;;
    --connections) CONNECTIONS=${2:?}; shift 2 ;;
    --extra) EXTRA_NAMES+=("${2:?}"); EXTRA_CMDS+=("${3:?}"); shift 3 ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (try --help)" ;;
  esac
done
case $ONLY in all|nginx|meshunit) ;; *) die "--only takes nginx, meshunit or all (was $ONLY)" ;; esac
[ "$(nproc)" -ge 2 ] || die "needs 2 cores: servers on core $SERVER_CPU, wrk on core $CLIENT_CPU"

# ---------------------------------------------------------------- tools
missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "missing ${missing[*]}: install them (apt-get install ${missing[*]}) or run as root"
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 "${missing[@]}" >/dev/null \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

if [ "$ONLY" != nginx ]; then
  if [ ! -f "$MESHUNIT_JAR" ]; then
    log "$MESHUNIT_JAR missing: building it (mvn -B -q -DskipTests package)"
    (cd "$ROOT" && mvn -B -q -DskipTests package) || die "the build failed"
  fi
  [ -f "$MESHUNIT_JAR" ] || die "$MESHUNIT_JAR still missing after the build; --only nginx skips MeshUnit"
fi

# ---------------------------------------------------------------- processes and cleanup
WORK=$(mktemp -d "${TMPDIR:-/tmp}/meshunit-bench.XXXXXX")
chmod 755 "$WORK"   # nginx workers run as nobody and read the bodies from here
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
  if [ "${BENCH_KEEP:-0}" = 1 ]; then log "kept $WORK (configs, logs, raw wrk output)"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Starts "$@" pinned to the server core in a session of its own, so that cleanup can end the
# process and everything it started by the group id. (A background job is no group leader, so
# setsid execs in place and $! is the leader.)
spawn() {
  local logfile=$1; shift
  setsid taskset -c "$SERVER_CPU" "$@" >"$logfile" 2>&1 </dev/null &
  PIDS+=($!)
  LAST_PID=$!
}

# CPU time (clock ticks, user + system) of every process in the sessions given (spawn makes one per server, so
# an nginx master's workers count too). Read around each round: CPU per request is what a proxy costs even
# when a busy machine takes the cores from it, where req/s and p99 measure the machine as much.
cpu_ticks() {
  local sids=" $* "
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v sids="$sids" '{ sub(/^[0-9]+ \([^)]*\) /, ""); if (index(sids, " " $4 " ")) t += $12 + $13 } END { print t + 0 }'
}
CLK_TCK=$(getconf CLK_TCK)
declare -A SESSIONS   # target name -> the sessions whose CPU a request through it costs


wait_http() {   # wait_http NAME PORT PID LOGFILE
  local deadline=$(( SECONDS + 30 ))
  until curl -fsS -o /dev/null -H 'Host: origin' "http://127.0.0.1:$2/small" 2>/dev/null; do
    kill -0 "$3" 2>/dev/null || { cat "$4" >&2; die "$1 exited before answering"; }
    [ "$SECONDS" -lt "$deadline" ] || { cat "$4" >&2; die "$1 did not answer on 127.0.0.1:$2 in 30 s"; }
    sleep 0.2
  done
}

# ---------------------------------------------------------------- nginx origin and proxy
mkdir -p "$WORK/www"
printf 'hello world!\n' >"$WORK/www/small"                       # 13 bytes
head -c 16384 /dev/zero | tr '\0' 'x' >"$WORK/www/16k"            # 16 KiB
BODIES=(small 16k)

nginx_conf() {   # nginx_conf NAME SERVER_BLOCK -> prints the path of a complete config
  local dir="$WORK/$1"
  mkdir -p "$dir/logs" "$dir/tmp"
  chown nobody "$dir/tmp" 2>/dev/null || true
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
  keepalive_timeout 60s;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
$2
}
EOF
  echo "$dir/nginx.conf"
}

start_nginx() {   # start_nginx NAME CONF
  spawn "$WORK/$1/logs/stdout.log" "$NGINX" -p "$WORK/$1" -e "$WORK/$1/logs/error.log" -c "$2"
}

ORIGIN_PORT=$(free_port)
conf=$(nginx_conf origin "  server {
    listen 127.0.0.1:$ORIGIN_PORT;
    open_file_cache max=16;
    location / { root $WORK/www; }
  }")
start_nginx origin "$conf"
wait_http "nginx origin" "$ORIGIN_PORT" "$LAST_PID" "$WORK/origin/logs/error.log"
ORIGIN_SID=$LAST_PID
SESSIONS[direct]=$ORIGIN_SID

TARGETS=("direct $ORIGIN_PORT")

if [ "$ONLY" != meshunit ]; then
  port=$(free_port)
  # Upstream keep-alive, as a proxy in front of a service would be set up (and as a pooling
  # proxy behaves); HTTP/1.1 and an empty Connection header are what nginx needs for it.
  conf=$(nginx_conf nginx-proxy "  upstream origin { server 127.0.0.1:$ORIGIN_PORT; keepalive 64; }
  server {
    listen 127.0.0.1:$port;
    location / {
      proxy_pass http://origin;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
    }
  }")
  start_nginx nginx-proxy "$conf"
  wait_http "nginx proxy" "$port" "$LAST_PID" "$WORK/nginx-proxy/logs/error.log"
  SESSIONS[nginx-proxy]="$ORIGIN_SID $LAST_PID"
  TARGETS+=("nginx-proxy $port")
fi

# ---------------------------------------------------------------- MeshUnit
if [ "$ONLY" != nginx ]; then
  write_meshunit_config "$WORK/meshunit.yaml" "$ORIGIN_PORT"
  # shellcheck disable=SC2086  # MESHUNIT_JAVA_OPTS is a list of flags
  spawn "$WORK/meshunit.log" java $MESHUNIT_JAVA_OPTS -jar "$MESHUNIT_JAR" proxy \
    --config "$WORK/meshunit.yaml" --port 0 --admin-port 0 --bind 127.0.0.1
  mpid=$LAST_PID
  deadline=$(( SECONDS + 60 ))
  port=""
  while [ -z "$port" ]; do
    port=$(sed -nE 's/^meshunit proxy listening on 127\.0\.0\.1:([0-9]+) admin .*/\1/p' "$WORK/meshunit.log" | head -n1)
    [ -n "$port" ] && break
    kill -0 "$mpid" 2>/dev/null || { cat "$WORK/meshunit.log" >&2; die "the MeshUnit proxy exited"; }
    [ "$SECONDS" -lt "$deadline" ] || { cat "$WORK/meshunit.log" >&2; die "no 'meshunit proxy listening on' line in 60 s"; }
    sleep 0.2
  done
  wait_http "MeshUnit proxy" "$port" "$mpid" "$WORK/meshunit.log"
  MESHUNIT_TRANSPORT=$(meshunit_transport "$mpid")
  log "MeshUnit transport: $MESHUNIT_TRANSPORT"
  SESSIONS[meshunit]="$ORIGIN_SID $mpid"
  TARGETS+=("meshunit $port")
fi

for i in "${!EXTRA_NAMES[@]}"; do
  name=${EXTRA_NAMES[$i]}
  [[ $name =~ ^[A-Za-z0-9._-]+$ ]] || die "--extra $name: a name of letters, digits, '.', '_' and '-' only"
  [ -z "${SESSIONS[$name]:-}" ] || die "--extra $name: that name is taken"
  port=$(free_port)
  cmd=${EXTRA_CMDS[$i]//\{PORT\}/$port}
  cmd=${cmd//\{ORIGIN_PORT\}/$ORIGIN_PORT}
  spawn "$WORK/extra-$name.log" bash -c "exec $cmd"
  wait_http "$name" "$port" "$LAST_PID" "$WORK/extra-$name.log"
  SESSIONS[$name]="$ORIGIN_SID $LAST_PID"
  TARGETS+=("$name $port")
done

# Each target must serve both bodies whole before it is measured.
for t in "${TARGETS[@]}"; do
  read -r name port <<<"$t"
  for body in "${BODIES[@]}"; do
    got=$(curl -fsS -H 'Host: origin' "http://127.0.0.1:$port/$body" | wc -c)
    want=$(wc -c <"$WORK/www/$body")
    [ "$got" = "$want" ] || die "$name: /$body gave $got bytes, not $want"
  done
done

# ---------------------------------------------------------------- measure
to_ms() {   # wrk prints 215.00us, 1.23ms, 1.01s
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000 }
    else printf "?" }'
}

wrk_run() {   # wrk_run DURATION PORT BODY -> wrk's output
  taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNECTIONS" -d"$1" --latency -H 'Host: origin' \
    "http://127.0.0.1:$2/$3"
}

log "servers on core $SERVER_CPU, wrk -t1 -c$CONNECTIONS -d$DURATION on core $CLIENT_CPU, $RUNS runs, warm-up $WARMUP per target and body"
# Others' work on the same cores shows as noise: say how busy the idle machine was.
cpu_busy() {   # percent of the cores of /proc/stat's cpuN lines $1 busy over 2 s
  local a b
  a=$(grep "^cpu$1 " /proc/stat); sleep 2; b=$(grep "^cpu$1 " /proc/stat)
  awk -v a="$a" -v b="$b" 'BEGIN { split(a, x); split(b, y); t = 0
    for (i = 2; i <= 9; i++) t += y[i] - x[i]
    idle = (y[5] - x[5]) + (y[6] - x[6]); printf "%.0f", t ? 100 * (t - idle) / t : 0 }'
}
BUSY_NOTE="before measuring, with the servers idle: core $SERVER_CPU $(cpu_busy "$SERVER_CPU")% busy, core $CLIENT_CPU $(cpu_busy "$CLIENT_CPU")% busy"
log "$BUSY_NOTE"
for t in "${TARGETS[@]}"; do
  read -r name port <<<"$t"
  for body in "${BODIES[@]}"; do wrk_run "$WARMUP" "$port" "$body" >/dev/null; done
done
# Runs interleaved, so that a slow minute of a shared machine falls on every target alike.
RESULTS=()   # "name body rps p50 p99 errors cpu", one per run (cpu: server CPU microseconds per request)
for run in $(seq "$RUNS"); do
  for t in "${TARGETS[@]}"; do
    read -r name port <<<"$t"
    for body in "${BODIES[@]}"; do
      # shellcheck disable=SC2086  # a list of session ids
      ticks0=$(cpu_ticks ${SESSIONS[$name]})
      out=$(wrk_run "$DURATION" "$port" "$body")
      # shellcheck disable=SC2086
      ticks1=$(cpu_ticks ${SESSIONS[$name]})
      echo "$out" >"$WORK/wrk-$name-$body-$run.txt"
      requests=$(awk '/requests in/ {print $1}' <<<"$out")
      cpu=$(awk -v t=$((ticks1 - ticks0)) -v hz="$CLK_TCK" -v n="$requests" 'BEGIN { printf "%.1f", n ? t * 1e6 / hz / n : 0 }')
      rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
      p50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
      p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
      errors=$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10} END {print n + 0}' <<<"$out")
      log "run $run: $name /$body: $rps req/s, p50 $p50 ms, p99 $p99 ms, $errors errors, server CPU $cpu us/request"
      RESULTS+=("$name $body $rps $p50 $p99 $errors $cpu")
    done
  done
done
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------- report
# The median run of NAME BODY by req/s ("rps p50 p99 errors min max cpu"; for an even count the lower
# middle one), with the errors of all runs, the lowest and highest req/s, and that run's server CPU per request.
median_of() {
  local r
  for r in "${RESULTS[@]}"; do
    read -r n b rest <<<"$r"
    [ "$n" = "$1" ] && [ "$b" = "$2" ] && echo "$rest"
  done | sort -n -k1,1 | awk '{ row[NR] = $1 " " $2 " " $3; errors += $4; rps[NR] = $1; cpu[NR] = $5 }
    END { if (NR) { m = int((NR + 1) / 2); print row[m], errors, rps[1], rps[NR], cpu[m] } }'
}
rps_of() { median_of "$1" "$2" | awk '{print $1}'; }
ratio() { [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }' || echo "-"; }
body_label() { [ "$1" = small ] && echo "13 B" || echo "16 KiB"; }

echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"
echo "$("$NGINX" -v 2>&1 | sed 's/.*: //'), wrk $(wrk -v 2>&1 | awk 'NR == 1 {print $2}'), keep-alive GET, wrk -t1 -c$CONNECTIONS -d$DURATION"
echo "$RUNS interleaved runs, median shown; $BUSY_NOTE"
if [ "$ONLY" != nginx ]; then
  echo "MeshUnit: $(java -version 2>&1 | head -n1), $MESHUNIT_JAVA_OPTS, transport $MESHUNIT_TRANSPORT, $(basename "$MESHUNIT_JAR")"
fi
echo
echo "| target | body | req/s | p50 (ms) | p99 (ms) | vs nginx-proxy | vs direct | req/s min-max | errors | server CPU µs/req |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for body in "${BODIES[@]}"; do
  for t in "${TARGETS[@]}"; do
    read -r name _ <<<"$t"
    read -r rps p50 p99 errors min max cpu <<<"$(median_of "$name" "$body")"
    printf '| %s | %s | %.0f | %s | %s | %s | %s | %.0f-%.0f | %s | %s |\n' "$name" "$(body_label "$body")" "$rps" \
      "$p50" "$p99" "$(ratio "$rps" "$(rps_of nginx-proxy "$body")")" "$(ratio "$rps" "$(rps_of direct "$body")")" \
      "$min" "$max" "$errors" "$cpu"
  done
done
