#!/usr/bin/env bash
# Metrics-store write throughput: flushes of 60,000 new customers, then of the same 60,000 again (updates in
# place), through ServiceMonitor.flush into a real SQLite store (Sources/StoreBench, release build).
#
#   scripts/bench/store.sh [ROUNDS]     (default 5; each round runs 6 flushes of each kind and takes their medians)
#
# Before/after a change: BASELINE=/path/to/old/StoreBench runs that binary too, alternating with ours every round,
# and prints each side's medians and the ratio. Build a side with
#   CHURN_STOREBENCH=1 swift build -c release --product StoreBench   (then copy .build/release/StoreBench out)
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-5}
baseline=${BASELINE:-}
CHURN_STOREBENCH=1 swift build -c release --product StoreBench >/dev/null
ours=$(mktemp -d)/StoreBench
cp .build/release/StoreBench "$ours"
results=$(mktemp)
for r in $(seq "$rounds"); do
  [[ -n $baseline ]] && echo "baseline $("$baseline" 6)" | tee -a "$results"
  echo "ours $("$ours" 6)" | tee -a "$results"
done
python3 - "$results" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    side, _, new, _, update = line.split()
    rows.setdefault(side, []).append((float(new), float(update)))
med = {s: (statistics.median(n for n, _ in v), statistics.median(u for _, u in v)) for s, v in rows.items()}
for s, (n, u) in med.items():
    print(f"{s}: median flush of 60,000 new customers {n:.3f} s ({60000 / n:,.0f} rows/s), of 60,000 updates {u:.3f} s ({60000 / u:,.0f} rows/s)")
if "baseline" in med:
    print(f"speed ratio ours/baseline: new {med['baseline'][0] / med['ours'][0]:.2f}, updates {med['baseline'][1] / med['ours'][1]:.2f}")
PY
