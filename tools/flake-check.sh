#!/usr/bin/env bash
# Runs the test suite N times back to back while a CPU hog keeps every core busy, then prints how often
# each test failed. A test that fails here is a bug in the test or the product: fix it, never retry it.
#
#   tools/flake-check.sh N [maven arguments...]
#
#   tools/flake-check.sh 10                     # the whole suite (mvn -B verify), as CI runs it
#   tools/flake-check.sh 3 -o -pl harness-core  # one module, offline
#
# The hog runs at normal priority (as other work on a shared CI machine would). Logs and the surefire and
# failsafe reports of every run stay in the folder printed at the start. Exit code: 0 when no test failed
# or errored in any run and no run had a Netty LEAK report; 1 otherwise; 2 on bad usage.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $# -lt 1 || ! $1 =~ ^[1-9][0-9]*$ ]]; then
  sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
runs=$1
shift

out=$(mktemp -d /tmp/flake-check.XXXXXX)
echo "flake-check: $runs run(s) of: mvn -B $* verify, with $(nproc) busy-loop hog(s); reports in $out"

hogs=()
stop_hogs() {
  if ((${#hogs[@]})); then kill "${hogs[@]}" 2>/dev/null || true; fi
}
trap stop_hogs EXIT
for _ in $(seq "$(nproc)"); do
  bash -c 'while :; do :; done' &
  hogs+=($!)
done

for run in $(seq "$runs"); do
  # Stale reports of an earlier run must not count again.
  find . -path '*/target/surefire-reports' -prune -exec rm -rf {} + -o -path '*/target/failsafe-reports' -prune -exec rm -rf {} +
  start=$SECONDS
  if mvn -B "$@" verify >"$out/run-$run.log" 2>&1; then rc=0; else rc=$?; fi
  mkdir -p "$out/run-$run"
  find . \( -path '*/target/surefire-reports/TEST-*.xml' -o -path '*/target/failsafe-reports/TEST-*.xml' \) \
    -exec cp {} "$out/run-$run/" \;
  leaks=$(grep -c 'LEAK:' "$out/run-$run.log" || true)
  echo "run $run: mvn exit $rc, $((SECONDS - start)) s, $leaks LEAK report(s)"
  echo "$rc $leaks" >"$out/run-$run.status"
done

stop_hogs
python3 - "$out" "$runs" <<'PY'
import collections, glob, os, sys
import xml.etree.ElementTree as ET

out, runs = sys.argv[1], int(sys.argv[2])
failed = collections.Counter()
executed = collections.Counter()
bad_runs = 0
for run in range(1, runs + 1):
    rc, leaks = open(os.path.join(out, f"run-{run}.status")).read().split()
    files = glob.glob(os.path.join(out, f"run-{run}", "TEST-*.xml"))
    if rc != "0" or leaks != "0" or not files:
        bad_runs += 1
    for f in files:
        for case in ET.parse(f).getroot().iter("testcase"):
            name = f"{case.get('classname')}.{case.get('name')}"
            executed[name] += 1
            if case.find("failure") is not None or case.find("error") is not None:
                failed[name] += 1
print(f"\n{len(executed)} tests, {sum(executed.values())} executions in {runs} run(s); "
      f"{sum(failed.values())} failure(s) in {len(failed)} test(s); {bad_runs} run(s) not clean")
for name, n in sorted(failed.items(), key=lambda kv: (-kv[1], kv[0])):
    print(f"{n:4d} / {executed[name]:<4d} {name}")
sys.exit(1 if failed or bad_runs else 0)
PY
