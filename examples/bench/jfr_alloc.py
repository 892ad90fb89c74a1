#!/usr/bin/env python3
"""Bytes allocated between the first and last jdk.ThreadAllocationStatistics samples of a recording, by all threads,
or by the threads whose name starts with the second argument (the proxy's event loops: what requests cost, without
the compiler, JFR and attach threads, which weigh much when a busy machine keeps throughput low)."""
import re, subprocess, sys
UNITS = {"bytes": 1, "byte": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9}
out = subprocess.run(["jfr", "print", "--events", "jdk.ThreadAllocationStatistics", sys.argv[1]],
                     capture_output=True, text=True, check=True).stdout
first, last = {}, {}
for block in out.split("jdk.ThreadAllocationStatistics {")[1:]:
    a = re.search(r"allocated = ([\d.]+) (\w+)", block)
    t = re.search(r'thread = "(.*)" \(javaThreadId = (\d+)\)', block)
    if not a or not t or (len(sys.argv) > 2 and not t.group(1).startswith(sys.argv[2])):
        continue
    v = float(a.group(1)) * UNITS.get(a.group(2), 1)
    first.setdefault(t.group(2), v)
    last[t.group(2)] = v
print(int(sum(last[k] - first[k] for k in last)))
