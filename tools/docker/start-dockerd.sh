#!/usr/bin/env bash
# Makes a local Docker daemon answer on /var/run/docker.sock, for Testcontainers.
#
# Safe to run again: when a daemon already answers, it only says so. It never starts a second
# daemon. It installs Debian's docker.io when dockerd is missing, then starts dockerd through
# systemd when PID 1 is systemd, otherwise as a detached background process, and waits for the API.
# Exit 0 when the API answers, 1 when it does not (the last lines of the daemon's log are shown).
# Needs root unless a daemon already answers. No container registry is used.
#
# Environment:
#   DOCKERD_LOG           log of a background dockerd          (default /var/log/dockerd.log)
#   DOCKERD_ARGS          extra dockerd flags, e.g. --iptables=false
#   DOCKERD_WAIT_SECONDS  how long to wait for the API         (default 60)
set -euo pipefail

readonly SOCK=/var/run/docker.sock
readonly PIDFILE=/var/run/docker.pid
readonly CONTAINERD_PIDFILE=/var/run/docker/containerd/containerd.pid
DOCKERD_LOG=${DOCKERD_LOG:-/var/log/dockerd.log}
DOCKERD_ARGS=${DOCKERD_ARGS:-}
DOCKERD_WAIT_SECONDS=${DOCKERD_WAIT_SECONDS:-60}

log() { printf '[start-dockerd] %s\n' "$*" >&2; }

if [ -n "${DOCKER_HOST:-}" ] && [ "$DOCKER_HOST" != "unix://$SOCK" ]; then
  log "warning: DOCKER_HOST=$DOCKER_HOST is set; docker and Testcontainers will use it, not unix://$SOCK"
fi

api_up() {
  [ -S "$SOCK" ] || return 1
  if command -v docker >/dev/null 2>&1; then
    timeout 10 docker -H "unix://$SOCK" version --format '{{.Server.Version}}' >/dev/null 2>&1
  else
    curl -fsS --max-time 2 --unix-socket "$SOCK" http://localhost/_ping >/dev/null 2>&1
  fi
}

say_ready() {
  log "docker daemon ready: $(docker -H "unix://$SOCK" version \
    --format 'server {{.Server.Version}}, API {{.Server.APIVersion}}' 2>/dev/null || echo '?')"
}

# True when process $1 lives and is named $2. A zombie (killed, not yet reaped by its parent) does
# not count.
is_live() {
  local state
  [ -n "$1" ] && grep -qx "$2" "/proc/$1/comm" 2>/dev/null || return 1
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || true)
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}
is_live_dockerd() { is_live "$1" dockerd; }

started_pid=""
start_dockerd() {
  if [ -d /run/systemd/system ] && [ -z "$DOCKERD_ARGS" ]; then
    log "starting docker through systemd"
    systemctl start docker
  else
    # After a kill -9 the pidfiles stay behind. dockerd refuses to start while its own names a
    # process that exists, and waits 15 s for the containerd that the other names, even a zombie.
    rm -f "$PIDFILE"
    is_live "$(cat "$CONTAINERD_PIDFILE" 2>/dev/null)" containerd || rm -f "$CONTAINERD_PIDFILE"
    log "starting dockerd in the background (log: $DOCKERD_LOG)"
    # setsid: the daemon must outlive the shell of the CI step that started it. A background job
    # is no process group leader, so setsid execs dockerd in place and $! is dockerd's pid.
    # shellcheck disable=SC2086  # DOCKERD_ARGS is a list of flags
    setsid dockerd $DOCKERD_ARGS >>"$DOCKERD_LOG" 2>&1 </dev/null &
    started_pid=$!
  fi
}

if api_up; then
  log "a daemon already answers on $SOCK"
  say_ready
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  log "no daemon answers on $SOCK for this user (not root, maybe not in group docker); starting one needs root: run this with sudo"
  exit 1
fi

if ! command -v dockerd >/dev/null 2>&1; then
  log "dockerd missing: installing docker.io"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq -o DPkg::Lock::Timeout=300 docker.io >/dev/null
  # Where services may start, the package's own unit may have started the daemon already.
  sleep 1
  if api_up; then say_ready; exit 0; fi
fi

# cgroup v1 hosts without systemd may have no cgroup hierarchy mounted.
if [ -d /sys/fs/cgroup ] && [ -z "$(ls -A /sys/fs/cgroup 2>/dev/null)" ] \
    && command -v cgroupfs-mount >/dev/null 2>&1; then
  log "/sys/fs/cgroup is empty: running cgroupfs-mount"
  cgroupfs-mount || true
fi

# A dockerd that lives but does not answer yet is still starting: wait for it. Start one only when
# none lives, and give up early if the one started here dies.
deadline=$(( SECONDS + DOCKERD_WAIT_SECONDS ))
started=0
until api_up; do
  if [ "$started" = 0 ]; then
    pid=$(cat "$PIDFILE" 2>/dev/null || true)
    if is_live_dockerd "$pid"; then
      [ -n "${announced:-}" ] || log "dockerd (pid $pid) is running but not answering yet: waiting"
      announced=1
    else
      start_dockerd
      started=1
    fi
  elif [ -n "$started_pid" ] && ! is_live_dockerd "$started_pid"; then
    log "dockerd exited while starting; last lines of $DOCKERD_LOG:"
    tail -n 20 "$DOCKERD_LOG" >&2 2>/dev/null || true
    exit 1
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    log "no answer on $SOCK after ${DOCKERD_WAIT_SECONDS}s; last lines of $DOCKERD_LOG:"
    tail -n 20 "$DOCKERD_LOG" >&2 2>/dev/null || true
    if grep -qiE 'iptables|nf_tables' "$DOCKERD_LOG" 2>/dev/null; then
      log "hint: iptables trouble; try DOCKERD_ARGS=--iptables=false"
    fi
    exit 1
  fi
  sleep 0.2
done
say_ready
