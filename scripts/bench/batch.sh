#!/usr/bin/env bash
# Batch scoring side by side with the Python peers (../shared/bench/peers/), in one run, alternating.
#
#   scripts/bench/batch.sh [RUNS]        (default 5 runs per side, alternating; medians)
#
# Needs the peers' venv (once, from the package root):
#   python3 -m venv .venv-peers && .venv-peers/bin/pip install -q -r ../shared/bench/peers/requirements.txt
#
# Input: the real Telco file (../shared/data/telco.csv, or $TELCO) resampled to 1,000,000 rows
# (scripts/bench/resample.py), or 1,000,000 generated customers when the file is missing; plus 100k and 5M
# generated rows for our scaling. Same model on both sides of each pair, trained by the peers' fit.py:
#   logistic: churn score with the bundled default logistic model   vs  batch_polars.py + scikit-learn logistic
#             (and the pandas + xgboost batch.py, the first peer, for reference)
#   LightGBM: churn score --model (fit.py's LightGBM, imported)       vs  batch_lleaves.py (polars + lleaves)
# Ours: the release build as shipped (scripts/bench/shipped-churn.sh; CHURN=path for another), all cores, CSV out
# plus rejects file, drift summary. Wall time and peak RSS per run as `measure` below says.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-5}
py=${PYTHON:-$PWD/.venv-peers/bin/python}
if [[ ! -x $py ]]; then
  echo "no peers' venv at $py: python3 -m venv .venv-peers && .venv-peers/bin/pip install -q -r ../shared/bench/peers/requirements.txt" >&2
  exit 1
fi
peers=$(cd ../shared/bench/peers && pwd)
telco=${TELCO:-../shared/data/telco.csv}
work=${BENCH_WORK:-$(mktemp -d)}
mkdir -p "$work"

source scripts/bench/shipped-churn.sh

# The peers' models, trained on real data when we have it (generated data otherwise).
if [[ -f $telco ]]; then train=$(cd "$(dirname "$telco")" && pwd)/$(basename "$telco"); else "$churn" generate --rows 7043 --seed 1 -o "$work/train.csv" --force; train=$work/train.csv; fi
[[ -f $work/peer.lgb.txt ]] || (cd "$peers" && "$py" fit.py "$train" "$work/peer" >/dev/null)
"$churn" import lightgbm "$work/peer.lgb.txt" --reference "$train" -o "$work/imported-lgb.json" --quiet >/dev/null

if [[ ! -f $work/1m.csv ]]; then
  if [[ -f $telco ]]; then
    "$py" scripts/bench/resample.py "$train" "$work/1m.csv"
  else
    "$churn" generate --rows 1000000 --seed 7 -o "$work/1m.csv" --force
  fi
fi
for n in 100000 5000000; do
  [[ -f $work/$n.csv ]] || "$churn" generate --rows "$n" --seed 7 -o "$work/$n.csv" --force
done

# measure FILE CMD...: one run, appends "seconds peakKB" to FILE. Wall time from a nanosecond clock around GNU time
# (whose own %e has centiseconds, a 5% step at 0.2 s), peak RSS from GNU time.
# Each run starts on a settled machine: the previous run's dirty output written back and a second for the kernel
# to finish freeing its memory (a peer frees 1.4 GB when it exits). Run back to back, a 0.2 s run right after a peer
# took 30 ms more wall and 20% more CPU for the same work (docs/benchmarks.md, sixth session). SETTLE=0: back to back.
measure() {
  local into=$1
  shift
  sync
  sleep "${SETTLE:-1}"
  local start end
  start=$(date +%s%N)
  /usr/bin/time -f "%M" -o "$work/time" "$@" >/dev/null 2>&1
  end=$(date +%s%N)
  echo "$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f", (b - a) / 1e9}') $(cat "$work/time")" >> "$into"
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
t() { cut -d' ' -f1 "$work/$1" | median; }
mb() { cut -d' ' -f2 "$work/$1" | median | awk '{printf "%.1f", $1/1024}'; }
sides=(ours polars pandas ours-lgb lleaves)
for s in "${sides[@]}"; do : > "$work/$s"; done
for ((r = 0; r < RUNS; r++)); do
  measure "$work/ours" "$churn" score "$work/1m.csv" -o "$work/ours.csv" --force --quiet
  measure "$work/polars" "$py" "$peers/batch_polars.py" "$work/peer.lr.pkl" "$work/1m.csv" "$work/polars.csv"
  measure "$work/pandas" "$py" "$peers/batch.py" "$work/peer.pkl" "$work/1m.csv" "$work/pandas.csv"
  measure "$work/ours-lgb" "$churn" score "$work/1m.csv" --model "$work/imported-lgb.json" -o "$work/ours-lgb.csv" --force --quiet
  measure "$work/lleaves" "$py" "$peers/batch_lleaves.py" "$work/peer.lgb.txt" "$work/peer.features.csv" "$work/1m.csv" "$work/lleaves.csv"
done
echo "file: 1m.csv ($(du -m "$work/1m.csv" | cut -f1) MB), $RUNS runs each, alternating; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| side | median wall s | median peak RSS MB |"
echo "|---|---|---|"
echo "| churn score (default logistic model) | $(t ours) | $(mb ours) |"
echo "| batch_polars.py (polars + scikit-learn logistic) | $(t polars) | $(mb polars) |"
echo "| batch.py (pandas + xgboost) | $(t pandas) | $(mb pandas) |"
echo "| churn score --model (imported LightGBM) | $(t ours-lgb) | $(mb ours-lgb) |"
echo "| batch_lleaves.py (polars + lleaves, same LightGBM model) | $(t lleaves) | $(mb lleaves) |"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1fx", a/b}'; }
echo "logistic: $(ratio "$(t polars)" "$(t ours)") faster than polars + scikit-learn, $(ratio "$(cut -d' ' -f2 "$work/polars" | median)" "$(cut -d' ' -f2 "$work/ours" | median)") less memory"
echo "LightGBM: $(ratio "$(t lleaves)" "$(t ours-lgb)") faster than polars + lleaves, $(ratio "$(cut -d' ' -f2 "$work/lleaves" | median)" "$(cut -d' ' -f2 "$work/ours-lgb" | median)") less memory"

echo
echo "scaling (churn score, default model, median of $RUNS):"
echo "| rows | median wall s | rows/s | median peak RSS MB |"
echo "|---|---|---|---|"
for f in 100000 1m 5000000; do
  : > "$work/s"
  for ((r = 0; r < RUNS; r++)); do measure "$work/s" "$churn" score "$work/$f.csv" -o "$work/ours.csv" --force --quiet; done
  rows=$(($(wc -l < "$work/$f.csv") - 1))
  echo "| $rows | $(t s) | $(awk -v n="$rows" -v t="$(t s)" 'BEGIN {printf "%d", n/t}') | $(mb s) |"
done
