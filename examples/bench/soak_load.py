#!/usr/bin/env python3
"""Soak load for examples/bench/soak.sh: normal keep-alive GETs, large-header GETs (58 x 1,000 bytes) and
slowloris clients (a header byte a second, never finished) and clients of a silent upstream, mixed, for a
bounded time. Prints one summary line as JSON at the end, with how long the proxy let each slowloris head and
each silent request last (wall clock) and what it answered. Standard library only."""
import json, socket, sys, threading, time

host, port, duration = "127.0.0.1", int(sys.argv[1]), float(sys.argv[2])
normal_clients, big_clients, slow_clients = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
silent_clients = int(sys.argv[6]) if len(sys.argv) > 6 else 0
deadline = time.time() + duration
stats = {"normal_ok": 0, "normal_err": 0, "big_ok": 0, "big_err": 0, "slow_opened": 0, "slow_closed_by_proxy": 0,
         "slow_answers": {}, "silent_answers": {}}
slow_seconds, silent_seconds = [], []
lock = threading.Lock()

def count(key):
    with lock:
        stats[key] += 1

def read_response(f):
    status = f.readline()
    if not status:
        return None
    length = 0
    while True:
        line = f.readline()
        if line in (b"\r\n", b""):
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    f.read(length)
    return int(status.split()[1])

def keep_alive(request, ok, err):
    while time.time() < deadline:
        try:
            with socket.create_connection((host, port), timeout=10) as s:
                f = s.makefile("rb")
                while time.time() < deadline:
                    s.sendall(request)
                    if read_response(f) == 200:
                        count(ok)
                    else:
                        count(err)
                        break
        except OSError:
            count(err)
            time.sleep(0.1)

def answered(kind, status, seconds, into):
    with lock:
        stats[kind][status] = stats[kind].get(status, 0) + 1
        into.append(seconds)

def slowloris():
    while time.time() < deadline:
        try:
            s = socket.create_connection((host, port), timeout=2)
            opened = time.time()
            count("slow_opened")
            s.sendall(b"GET /slow HTTP/1.1\r\nHost: reviews:9080\r\nX-Slow: ")
            got = b""
            while time.time() < deadline:
                try:
                    s.sendall(b"a")
                except OSError:
                    break
                try:
                    chunk = s.recv(4096)
                    if chunk == b"":
                        count("slow_closed_by_proxy")
                        status = got.split(b" ")[1].decode() if got.startswith(b"HTTP/") else "closed"
                        answered("slow_answers", status, time.time() - opened, slow_seconds)
                        break
                    got += chunk
                    if b"\r\n" in got:  # the proxy's answer (408): it closes right after
                        count("slow_closed_by_proxy")
                        answered("slow_answers", got.split(b" ")[1].decode(), time.time() - opened, slow_seconds)
                        break
                except socket.timeout:
                    pass
                time.sleep(1)
            s.close()
        except OSError:
            time.sleep(1)

def silent():
    while time.time() < deadline:
        try:
            with socket.create_connection((host, port), timeout=deadline - time.time() + 5) as s:
                sent = time.time()
                s.sendall(b"GET /silent HTTP/1.1\r\nHost: reviews:9080\r\n\r\n")
                status = read_response(s.makefile("rb"))
                answered("silent_answers", str(status), time.time() - sent, silent_seconds)
        except OSError:
            time.sleep(1)

normal = b"GET /reviews/1 HTTP/1.1\r\nHost: reviews:9080\r\n\r\n"
big = b"GET /reviews/big HTTP/1.1\r\nHost: reviews:9080\r\n" + b"".join(
    b"x-big-%d: %s\r\n" % (i, b"v" * (1000 - len(b"x-big-%d: " % i) - 2)) for i in range(58)) + b"\r\n"
threads = [threading.Thread(target=keep_alive, args=(normal, "normal_ok", "normal_err"), daemon=True) for _ in range(normal_clients)]
threads += [threading.Thread(target=keep_alive, args=(big, "big_ok", "big_err"), daemon=True) for _ in range(big_clients)]
threads += [threading.Thread(target=slowloris, daemon=True) for _ in range(slow_clients)]
threads += [threading.Thread(target=silent, daemon=True) for _ in range(silent_clients)]
for t in threads:
    t.start()
for t in threads:
    t.join(duration + 30)
def span(xs):
    return [round(min(xs), 1), round(max(xs), 1)] if xs else None

stats["slow_seconds_min_max"] = span(slow_seconds)
stats["silent_seconds_min_max"] = span(silent_seconds)
print(json.dumps(stats))
