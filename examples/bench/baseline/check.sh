#!/usr/bin/env bash
# Functional check of bare-netty.sh, both modes, against check_origin.py: bodies whole (Content-Length, chunked,
# close-delimited), keep-alive reuse on both sides, hop-by-hop headers dropped, HEAD, request bodies, pipelining,
# HTTP/1.0 clients, 502 when the origin is down; Netty's leak detector at PARANOID must report nothing.
# Prints one line per check; exit 1 when one fails.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
die() { printf 'check: %s\n' "$*" >&2; exit 1; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bare-netty-check.XXXXXX")
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
FAILED=0
check() {   # check NAME COMMAND...: passes when COMMAND succeeds
  local name=$1; shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; FAILED=1; fi
}
wait_port() { for _ in $(seq 150); do port_is_free "$1" || return 0; sleep 0.2; done; die "nothing on port $1"; }

export MESHUNIT_JAVA_OPTS="-Xmx128m -Dio.netty.leakDetection.level=paranoid"
ORIGIN=$(free_port)
python3 "$HERE/check_origin.py" "$ORIGIN" & PIDS+=($!)
wait_port "$ORIGIN"
HTTP=$(free_port)
"$HERE/bare-netty.sh" http "$HTTP" "$ORIGIN" >"$WORK/http.log" 2>&1 & PIDS+=($!)
TCP=$(free_port)
"$HERE/bare-netty.sh" tcp "$TCP" "$ORIGIN" >"$WORK/tcp.log" 2>&1 & PIDS+=($!)
wait_port "$HTTP"; wait_port "$TCP"
for _ in $(seq 50); do grep -q listening "$WORK/http.log" && break; sleep 0.1; done
head -n1 "$WORK/http.log"
U=http://127.0.0.1:$HTTP

body_is() { [ "$(curl -fsS "$1")" = "$2" ]; }   # (the shell drops the last newline of both)
size_is() { [ "$(curl -fsS "$1" | wc -c)" = "$2" ]; }
head_of() { curl -fsS -o /dev/null -D - "$@" | tr -d '\r' | tr 'A-Z' 'a-z'; }

for mode in http tcp; do
  [ $mode = http ] && P=$HTTP || P=$TCP
  check "$mode: /small is 'hello world!\\n'" body_is "http://127.0.0.1:$P/small" "hello world!"
  check "$mode: /16k is 16384 bytes" size_is "http://127.0.0.1:$P/16k" 16384
  check "$mode: /chunked is 20012 bytes" size_is "http://127.0.0.1:$P/chunked" 20012
done
check "http: a chunked response stays chunked" grep -q '^transfer-encoding: chunked' <(head_of "$U/chunked")
check "http: a close-delimited body comes whole, chunked for HTTP/1.1" \
  bash -c "[ \"\$(curl -fsS $U/close)\" = 'until the close' ] && curl -fsS -o /dev/null -D - $U/close | grep -qi '^transfer-encoding: chunked'"
check "http: an HTTP/1.0 client gets the chunked body unchunked, then the close" \
  bash -c "[ \"\$(curl -fsS --http1.0 $U/chunked | wc -c)\" = 20012 ] && curl -fsS --http1.0 -o /dev/null -D - $U/chunked | grep -qi '^connection: close'"
check "http: the origin sees HTTP/1.1 from an HTTP/1.0 client" grep -q '^x-seen-version: http/1.1' <(head_of --http1.0 "$U/small")

# Downstream keep-alive: curl reuses its connection for the second URL; upstream: the origin sees one client port.
out=$(curl -fsS -v -o /dev/null -o /dev/null -D "$WORK/h" "$U/small" "$U/16k" 2>&1)
check "http: downstream keep-alive (curl reuses its connection)" grep -q 'Re-using existing connection\|Reusing existing' <<<"$out"
ports=$(for _ in 1 2 3 4 5; do head_of "$U/small" | sed -n 's/^x-peer-port: //p'; done | sort -u | wc -l)
check "http: upstream keep-alive (5 requests, one after the other, came from $ports origin-side port(s))" [ "$ports" = 1 ]

seen=$(head_of -H 'Connection: keep-alive, X-Secret' -H 'X-Secret: 1' -H 'Keep-Alive: timeout=5' -H 'TE: trailers' \
  -H 'X-Kept: 1' "$U/small")
check "http: request hop-by-hop headers dropped, others kept" \
  bash -c "grep -q '^x-seen-headers: .*x-kept' <<<'$seen' && ! grep -qE '^x-seen-headers: .*(x-secret|keep-alive|connection|te,|te$)' <<<'$seen'"
check "http: response hop-by-hop headers dropped" bash -c "! grep -qE '^(x-hop|keep-alive|connection):' <<<'$seen'"
check "http: POST with Content-Length echoed" \
  bash -c "[ \"\$(curl -fsS --data-binary @$HERE/check_origin.py $U/echo | sha1sum)\" = \"\$(sha1sum <$HERE/check_origin.py)\" ]"
check "http: POST chunked echoed" \
  bash -c "[ \"\$(head -c 100000 /dev/zero | tr '\\0' y | curl -fsS -H 'Transfer-Encoding: chunked' --data-binary @- $U/echo | wc -c)\" = 100000 ]"
check "http: Connection: close from the client is answered with it" grep -q '^connection: close' <(head_of -H 'Connection: close' "$U/small")

pipelined() {   # three requests in one write: three answers, in order
  python3 - "$HTTP" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET /16k HTTP/1.1\r\nHost: o\r\n\r\nGET /chunked HTTP/1.1\r\nHost: o\r\n\r\n"
          b"GET /small HTTP/1.1\r\nHost: o\r\nConnection: close\r\n\r\n")
data = b""
while chunk := s.recv(65536):
    data += chunk
parts = data.split(b"HTTP/1.1 200 OK")
assert len(parts) == 4, len(parts)
assert b"x" * 16384 in parts[1] and b",last\n" in parts[2] and parts[3].endswith(b"hello world!\n"), data[-200:]
PY
}
check "http: pipelined requests answered in order" pipelined
head_then_get() {   # HEAD has no body although it has a length: the next answer on the connection must be whole
  python3 - "$HTTP" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.settimeout(10)
s.sendall(b"HEAD /16k HTTP/1.1\r\nHost: o\r\n\r\n")
head = s.recv(65536)
assert b"Content-Length: 16384" in head and head.endswith(b"\r\n\r\n"), head
s.sendall(b"GET /small HTTP/1.1\r\nHost: o\r\nConnection: close\r\n\r\n")
data = b""
while chunk := s.recv(65536):
    data += chunk
assert data.startswith(b"HTTP/1.1 200") and data.endswith(b"hello world!\n"), data
PY
}
check "http: HEAD /16k: Content-Length 16384, no body, the connection goes on" head_then_get

kill "${PIDS[0]}"; wait "${PIDS[0]}" 2>/dev/null || true
check "http: origin down: 502" [ "$(curl -sS -o /dev/null -w '%{http_code}' "$U/small")" = 502 ]
check "tcp: origin down: the connection closes" bash -c "! curl -sS -m 5 http://127.0.0.1:$TCP/small 2>/dev/null"

# A leak is reported when a collection finds the lost buffer and Netty allocates again: collect, then allocate.
for pid in "${PIDS[1]}" "${PIDS[2]}"; do jcmd "$pid" GC.run >/dev/null; done
curl -sS -o /dev/null "$U/small" "http://127.0.0.1:$TCP/small" 2>/dev/null || true
sleep 1
check "no LEAK: line from either proxy" bash -c "! grep -h -A3 'LEAK:' $WORK/http.log $WORK/tcp.log"
exit $FAILED
