#!/usr/bin/env bash
# Start-up of the meshunit command, launched as users launch it: process start to the first proxied 200
# (`meshunit proxy`), and process start to exit (`meshunit validate` on a one-resource config).
# See README.md beside this file.
#
# Usage: examples/bench/startup.sh [--runs 10] [--only proxy|validate|all] [--launcher 'COMMAND' ...]
#   --runs N            launches per command and launcher; the table shows the median, min and max
#   --only proxy        only `meshunit proxy` (or validate)
#   --launcher CMD      how to start the command, repeatable; CMD is split on spaces and the command's
#                       arguments follow it. Default: both
#                         'java -jar JAR'            (no archive, what the README showed before)
#                         'chaos-scenarios/bin/meshunit'  (the launcher: class-data sharing archive)
#                       Example: --launcher 'java -XX:TieredStopAtLevel=1 -jar chaos-scenarios/target/meshunit.jar'
# Environment: MESHUNIT_JAR (chaos-scenarios/target/meshunit.jar), BENCH_KEEP=1 keeps the temp dir.
# The launcher's archive is built before measuring (its first run), so the figures are those of every later run.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=lib.sh
. "$ROOT/examples/bench/lib.sh"
RUNS=10
ONLY=all
LAUNCHERS=()
MESHUNIT_JAR=${MESHUNIT_JAR:-$ROOT/chaos-scenarios/target/meshunit.jar}

die() { printf 'startup: %s\n' "$*" >&2; exit 1; }
log() { printf 'startup: %s\n' "$*" >&2; }

while [ $# -gt 0 ]; do
  case $1 in
    --runs) RUNS=${2:?}; shift 2 ;;
    --only) ONLY=${2:?}; shift 2 ;;
    --launcher) LAUNCHERS+=("${2:?}"); shift 2 ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (try --help)" ;;
  esac
done
case $ONLY in all|proxy|validate) ;; *) die "--only takes proxy, validate or all (was $ONLY)" ;; esac
[ ${#LAUNCHERS[@]} -gt 0 ] || LAUNCHERS=("java -jar $MESHUNIT_JAR" "$ROOT/chaos-scenarios/bin/meshunit")
command -v curl >/dev/null 2>&1 || die "needs curl (apt-get install curl)"
if [ ! -f "$MESHUNIT_JAR" ]; then
  log "$MESHUNIT_JAR missing: building it (mvn -B -q -pl chaos-scenarios -am package -DskipTests)"
  (cd "$ROOT" && mvn -B -q -pl chaos-scenarios -am package -DskipTests) || die "the build failed"
fi
export MESHUNIT_JAR

WORK=$(mktemp -d "${TMPDIR:-/tmp}/meshunit-startup.XXXXXX")
chmod 755 "$WORK"
# The launcher's archive goes to a cache of this run's own, so that the first build is part of the run.
export MESHUNIT_CACHE_DIR="$WORK/cache"
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

now_ms() { local t=${EPOCHREALTIME/[.,]/}; echo $(( t / 1000 )); }   # bash 5: no fork
mkfifo "$WORK/never"
exec 9<>"$WORK/never"   # read -t on it is a sleep without a fork

# ---------------------------------------------------------------- origin: nginx if installed, else Python
mkdir -p "$WORK/www"
printf 'hello world!\n' >"$WORK/www/small"
ORIGIN_PORT=$(free_port)
NGINX=$(command -v nginx || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true)
if [ -n "$NGINX" ]; then
  mkdir -p "$WORK/nginx/logs" "$WORK/nginx/tmp"
  cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
user nobody nogroup;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/tmp/body;
  proxy_temp_path $WORK/nginx/tmp/proxy;
  fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
  uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
  scgi_temp_path $WORK/nginx/tmp/scgi;
  server { listen 127.0.0.1:$ORIGIN_PORT; location / { root $WORK/www; } }
}
EOF
  setsid "$NGINX" -p "$WORK/nginx" -e "$WORK/nginx/logs/error.log" -c "$WORK/nginx/nginx.conf" \
    >"$WORK/nginx/logs/stdout.log" 2>&1 </dev/null &
  ORIGIN="nginx"
else
  command -v python3 >/dev/null 2>&1 || die "needs nginx or python3 for the origin"
  (cd "$WORK/www" && exec setsid python3 -m http.server "$ORIGIN_PORT" --bind 127.0.0.1 >/dev/null 2>&1 </dev/null) &
  ORIGIN="python3 -m http.server"
fi
PIDS+=($!)
for _ in $(seq 100); do curl -fs -o /dev/null "http://127.0.0.1:$ORIGIN_PORT/small" && break; sleep 0.1; done
curl -fs -o /dev/null "http://127.0.0.1:$ORIGIN_PORT/small" || die "the origin ($ORIGIN) did not answer"

cat >"$WORK/origin.yaml" <<EOF
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: origin}
spec:
  hosts: [origin]
  location: MESH_INTERNAL
  resolution: STATIC
  ports: [{number: 80, name: http, protocol: HTTP}]
  endpoints: [{address: 127.0.0.1, ports: {http: $ORIGIN_PORT}}]
EOF

# ---------------------------------------------------------------- one launch
# proxy_once LAUNCHER -> "WALL CPU": ms from fork to the first 200 through the proxy, and the CPU ms the
# process (the JVM: the launcher execs it) had used by then, which a busy machine inflates less
proxy_once() {
  local port t0 pid status t1 deadline
  port=$(free_port)
  t0=$(now_ms)
  # shellcheck disable=SC2086  # the launcher is a list of words
  setsid $1 proxy --config "$WORK/origin.yaml" --port "$port" >"$WORK/proxy.log" 2>&1 </dev/null &
  pid=$!
  PIDS+=("$pid")
  deadline=$(( SECONDS + 30 ))
  # The probe forks nothing: a curl per try costs 6 ms of CPU, which every 5 ms is more than half of one of the
  # machine's two cores, taken from the JVM it is timing. Bash connects itself, sends the request, reads the
  # status line, and sleeps 2 ms between tries by waiting on a FIFO nobody writes.
  while :; do
    status=
    if { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
      printf 'GET /small HTTP/1.1\r\nHost: origin\r\nConnection: close\r\n\r\n' >&3
      IFS= read -r -t 5 status <&3 || true
      exec 3>&-
    fi
    [[ $status == "HTTP/1.1 200"* ]] && break
    kill -0 "$pid" 2>/dev/null || { cat "$WORK/proxy.log" >&2; die "the proxy exited before answering"; }
    [ "$SECONDS" -lt "$deadline" ] || { cat "$WORK/proxy.log" >&2; die "no 200 through the proxy in 30 s"; }
    read -r -t 0.002 -u 9 _ || true
  done
  t1=$(now_ms)
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15) * 1000 / hz }' "/proc/$pid/stat" 2>/dev/null || echo 0)
  kill -TERM -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  PIDS=("${PIDS[@]/$pid}")
  echo "$(( t1 - t0 )) $cpu"
}

# validate_once LAUNCHER -> "WALL CPU": ms from fork to exit (exit 0 and 'valid' required), CPU ms of the process
validate_once() {
  local t0 t1 out cpu
  t0=$(now_ms)
  # shellcheck disable=SC2086
  $1 validate --config "$WORK/origin.yaml" >"$WORK/validate.out" 2>&1 || die "validate failed: $(cat "$WORK/validate.out")"
  t1=$(now_ms)
  times >"$WORK/times"   # validate_once runs in $(...): that subshell's children are the command alone
  cpu=$(sed -n 2p "$WORK/times" | awk '{ split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%d", (u[1] * 60 + u[2] + s[1] * 60 + s[2]) * 1000 }')
  out=$(<"$WORK/validate.out")
  [[ $out == *"valid (0 warnings)"* ]] || die "validate said: $out"
  echo "$(( t1 - t0 )) $cpu"
}


stats() {   # stats N... -> "median min max" (lower middle for an even count)
  printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { printf "%d %d %d", v[int((NR + 1) / 2)], v[1], v[NR] }'
}

cpu_busy() {   # percent of both cores busy over 2 s
  local a b
  a=$(grep '^cpu ' /proc/stat); sleep 2; b=$(grep '^cpu ' /proc/stat)
  awk -v a="$a" -v b="$b" 'BEGIN { split(a, x); split(b, y); t = 0
    for (i = 2; i <= 9; i++) t += y[i] - x[i]
    idle = (y[5] - x[5]) + (y[6] - x[6]); printf "%.0f", t ? 100 * (t - idle) / t : 0 }'
}

# ---------------------------------------------------------------- measure
commands=()
[ "$ONLY" = validate ] || commands+=(proxy)
[ "$ONLY" = proxy ] || commands+=(validate)
for l in "${LAUNCHERS[@]}"; do
  # The first launch builds the launcher's archive (and warms the page cache for both): not measured.
  t0=$(now_ms); validate_once "$l" >/dev/null; proxy_once "$l" >/dev/null; log "first launch of '$l': $(( $(now_ms) - t0 )) ms (not measured)"
done
log "origin: $ORIGIN on 127.0.0.1:$ORIGIN_PORT; $RUNS launches per command and launcher, interleaved"
BUSY="$(cpu_busy)% of 2 cores busy before measuring"
log "$BUSY"
declare -A WALL CPU
for ((run = 1; run <= RUNS; run++)); do
  for c in "${commands[@]}"; do
    for i in "${!LAUNCHERS[@]}"; do
      read -r wall cpu <<<"$("${c}_once" "${LAUNCHERS[$i]}")"
      WALL[$c,$i]="${WALL[$c,$i]:-} $wall"
      CPU[$c,$i]="${CPU[$c,$i]:-} $cpu"
    done
  done
  log "round $run of $RUNS done"
done

printf '\n%s UTC, %s, %s\n' "$(date -u '+%Y-%m-%d %H:%M')" "$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')" \
  "$(java -version 2>&1 | head -n1)"
printf 'origin %s; %s launches each, interleaved; %s\n\n' "$ORIGIN" "$RUNS" "$BUSY"
printf '| command | launcher | median (ms) | min-max (ms) | CPU median (ms) |\n| --- | --- | ---: | ---: | ---: |\n'
for c in "${commands[@]}"; do
  for i in "${!LAUNCHERS[@]}"; do
    # shellcheck disable=SC2086
    read -r med min max <<<"$(stats ${WALL[$c,$i]})"
    # shellcheck disable=SC2086
    read -r cpu _ <<<"$(stats ${CPU[$c,$i]})"
    what=$([ "$c" = proxy ] && echo 'proxy: start to first proxied 200' || echo 'validate: start to exit')
    printf '| %s | `%s` | %s | %s-%s | %s |\n' "$what" "${LAUNCHERS[$i]/$ROOT\//}" "$med" "$min" "$max" "$cpu"
  done
done
