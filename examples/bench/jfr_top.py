#!/usr/bin/env python3
"""Top frames of a JFR recording: allocation samples weighted by bytes, execution samples by count.
Usage: jfr_top.py RECORDING [N]   (top-of-stack frames and MeshUnit's own first frame on each stack)"""
import collections, json, subprocess, sys
rec, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 15
def events(name):
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "64", "--events", name, rec],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)["recording"]["events"]
def frame(f):
    m = f["method"]
    return m["type"]["name"].replace("/", ".").split(".")[-1] + "." + m["name"] + ":" + str(f.get("lineNumber", ""))
def own(frames):
    for f in frames:
        t = f["method"]["type"]["name"].replace("/", ".")
        if t.startswith("dev.meshunit.") and not t.startswith("dev.meshunit.shaded."):
            return frame(f)
    return "(no MeshUnit frame)"
for name, weight in (("jdk.ObjectAllocationSample", "weight"), ("jdk.ExecutionSample", None)):
    top, mine, total = collections.Counter(), collections.Counter(), 0
    for e in events(name):
        st = e["values"].get("stackTrace")
        if not st: continue
        frames = st["frames"]
        if not frames: continue
        w = e["values"][weight] if weight else 1
        total += w
        key = frame(frames[0])
        if weight: key = e["values"]["objectClass"]["name"].replace("/", ".").split(".")[-1] + " @ " + key
        top[key] += w
        mine[own(frames)] += w
    print(f"== {name}: {total} {'bytes (sampled weight)' if weight else 'samples'}")
    for k, v in top.most_common(n): print(f"  {100 * v / total:5.1f}%  {k}")
    print(f"-- by first MeshUnit frame")
    for k, v in mine.most_common(n): print(f"  {100 * v / total:5.1f}%  {k}")
