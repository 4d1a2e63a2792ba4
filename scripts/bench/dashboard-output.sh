#!/usr/bin/env bash
# Measures what the console costs in steady state: bytes written to the terminal per second (tmux
# pipe-pane counts every byte the program sends to its pty), CPU share of one core, and resident memory.
# 80x24, 1 s refresh, watching a real `churn serve` that real clients send about 20 predictions a second
# (so the rate, latency, counts and sparklines keep moving).
#
#   scripts/bench/dashboard-output.sh [SECONDS] [COLSxROWS] [api|idle|demo]   e.g. 60 80x24
# "idle" watches the server with no clients sending anything; "demo" runs `churn dashboard --demo` (embedded
# engine, generated traffic) instead. Besides VmRSS it prints where the memory goes (/proc/PID/smaps_rollup and
# smaps: anonymous memory, i.e. heap and stacks, against file-backed pages of the binary and each shared library).
# Prints one line per figure; exits 1 if output exceeds 2 KiB/s. Use a release build for CPU figures:
#   swift build -c release && CHURN=.build/release/churn scripts/bench/dashboard-output.sh 60
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/e2e/lib.sh
SECONDS_TO_RUN=${1:-60}
SIZE=${2:-80x24}
MODE=${3:-api}
COLS=${SIZE%x*}; ROWS=${SIZE#*x}
# RANGE=24h (env) runs the console with --range 24h; with the demo's backfilled store every range has data.
[[ -z ${RANGE:-} ]] || echo "console range: $RANGE"

if [[ $MODE == demo ]]; then
  start_console "$COLS" "$ROWS" dashboard --demo --port 0 --interval 1s ${RANGE:+--range "$RANGE"} --dir "$E2E_TMP" \
    --model "${MODEL:-Tests/ChurnDashboardTests/Fixtures/model.json}"
else
  PORT=$(free_port)
  start_serve "$PORT"
  [[ $MODE == idle ]] || start_traffic "$PORT"
  sleep 2
  start_console "$COLS" "$ROWS" dashboard --api "http://127.0.0.1:$PORT" --interval 1s ${RANGE:+--range "$RANGE"} --dir "$E2E_TMP"
fi
wait_for "LIVE" 15 || { echo "console did not come up"; screen; exit 1; }
sleep 3 # past start-up: first full frame and first polls

pane=$(tmux display -p -t "$SESSION" '#{pane_pid}')
pid=$(ps -o pid= --ppid "$pane" | head -1 | tr -d ' ')
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)

: > "$E2E_TMP/bytes"
cpu0=$(ticks); t0=$(date +%s.%N)
tmux pipe-pane -t "$SESSION" -o "cat >> '$E2E_TMP/bytes'"
sleep "$SECONDS_TO_RUN"
tmux pipe-pane -t "$SESSION"
cpu1=$(ticks); t1=$(date +%s.%N)
bytes=$(stat -c %s "$E2E_TMP/bytes")
rss_kib=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")

status=0
python3 - "$bytes" "$t0" "$t1" "$cpu0" "$cpu1" "$hz" "$rss_kib" "$SIZE" "$MODE" <<'PY' || status=$?
import sys
b, t0, t1, c0, c1, hz, rss, size, _ = sys.argv[1:]
secs = float(t1) - float(t0)
rate = int(b) / secs
cpu = (int(c1) - int(c0)) / int(hz) / secs * 100
print(f"size {size}, {secs:.0f} s, refresh 1 s, source {sys.argv[9]}")
print(f"terminal output: {int(b)} bytes, {rate:.0f} B/s ({rate/1024:.2f} KiB/s)")
print(f"cpu: {cpu:.2f}% of one core")
print(f"resident memory: {int(rss)/1024:.1f} MiB")
sys.exit(0 if rate < 2048 else 1)
PY
# Where the resident memory is: anonymous (heap, stacks) against file-backed pages, the largest mappings by file.
python3 - "$pid" <<'PY'
import collections, os, sys
pid = sys.argv[1]
roll = {}
for line in open(f"/proc/{pid}/smaps_rollup"):
    parts = line.split()
    if len(parts) >= 3 and parts[1].isdigit():
        roll[parts[0].rstrip(":")] = int(parts[1])
by = collections.Counter()
name = None
for line in open(f"/proc/{pid}/smaps"):
    parts = line.split()
    if not parts:
        continue
    if "-" in parts[0] and not parts[0].endswith(":"):
        path = parts[5] if len(parts) >= 6 else "[anonymous]"
        name = os.path.basename(path) if path.startswith("/") else path
    elif parts[0] == "Rss:":
        by[name] += int(parts[1])
print(f"smaps_rollup: Rss {roll.get('Rss', 0)/1024:.1f} MiB, anonymous {roll.get('Anonymous', 0)/1024:.1f} MiB, "
      f"file-backed {(roll.get('Rss', 0) - roll.get('Anonymous', 0))/1024:.1f} MiB")
print("largest: " + ", ".join(f"{n} {k/1024:.1f}" for n, k in by.most_common(10)) + " (MiB)")
PY
exit $status
