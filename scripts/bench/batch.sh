#!/usr/bin/env bash
# Batch scoring side by side with the pandas/xgboost peer (../shared/bench/peers/batch.py), in one run.
#
#   scripts/bench/batch.sh [RUNS]        (default 5 runs per side, alternating)
#
# Inputs: the real Telco file resampled to 1,000,000 rows when /work/data/telco.csv (or $TELCO) exists, else
# 1,000,000 generated customers; plus 100k and 5M generated rows for our scaling. Our side: release build,
# default model, all cores. The peer: fit.py's xgboost model (300 trees, depth 4) on the 7k training file.
# Reports median wall time and peak resident memory (GNU time), and the ratio.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-5}
churn=.build/release/churn
py=${PYTHON:-$PWD/.venv-peers/bin/python}
peers=$(cd ../shared/bench/peers && pwd)
telco=${TELCO:-/work/data/telco.csv}
work=${BENCH_WORK:-$(mktemp -d)}
mkdir -p "$work"

[[ -x $churn ]] || swift build -c release --product churn

# The peer's model, trained on real data when we have it (its own training file otherwise).
if [[ -f $telco ]]; then train=$telco; else "$churn" generate --rows 7043 --seed 1 -o "$work/train.csv" --force; train=$work/train.csv; fi
[[ -f $work/peer.pkl ]] || (cd "$peers" && "$py" fit.py "$train" "$work/peer" >/dev/null)

# 1M rows: the real file resampled (like the peer's README figure), or generated.
if [[ ! -f $work/1m.csv ]]; then
  if [[ -f $telco ]]; then
    "$py" scripts/bench/resample.py "$telco" "$work/1m.csv"
  else
    "$churn" generate --rows 1000000 --seed 7 -o "$work/1m.csv" --force
  fi
fi
for n in 100000 5000000; do
  [[ -f $work/$n.csv ]] || "$churn" generate --rows "$n" --seed 7 -o "$work/$n.csv" --force
done

# measure LABEL CMD...: one run; prints "seconds peakKB".
measure() {
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>&1
  cat "$work/time"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

echo "file: $work/1m.csv ($(du -m "$work/1m.csv" | cut -f1) MB), $RUNS runs each, alternating"
: > "$work/ours"; : > "$work/peer"
for ((r = 0; r < RUNS; r++)); do
  measure "$churn" score "$work/1m.csv" -o "$work/ours.csv" --force --quiet >> "$work/ours"
  measure "$py" "$peers/batch.py" "$work/peer.pkl" "$work/1m.csv" "$work/peer.csv" >> "$work/peer"
done
ot=$(cut -d' ' -f1 "$work/ours" | median); om=$(cut -d' ' -f2 "$work/ours" | median)
pt=$(cut -d' ' -f1 "$work/peer" | median); pm=$(cut -d' ' -f2 "$work/peer" | median)
echo "| side | median wall s | median peak RSS MB |"
echo "|---|---|---|"
echo "| churn score (default model) | $ot | $(awk -v k="$om" 'BEGIN {printf "%.1f", k/1024}') |"
echo "| peers/batch.py | $pt | $(awk -v k="$pm" 'BEGIN {printf "%.1f", k/1024}') |"
echo "ratio (peer / churn): time $(awk -v a="$pt" -v b="$ot" 'BEGIN {printf "%.1fx", a/b}'), memory $(awk -v a="$pm" -v b="$om" 'BEGIN {printf "%.1fx", a/b}')"

echo
echo "scaling (churn score, generated rows, median of $RUNS):"
echo "| rows | median wall s | rows/s | median peak RSS MB |"
echo "|---|---|---|---|"
for f in 100000 1m 5000000; do
  : > "$work/s"
  for ((r = 0; r < RUNS; r++)); do measure "$churn" score "$work/$f.csv" -o "$work/ours.csv" --force --quiet >> "$work/s"; done
  t=$(cut -d' ' -f1 "$work/s" | median); m=$(cut -d' ' -f2 "$work/s" | median)
  rows=$(($(wc -l < "$work/$f.csv") - 1))
  echo "| $rows | $t | $(awk -v n="$rows" -v t="$t" 'BEGIN {printf "%d", n/t}') | $(awk -v k="$m" 'BEGIN {printf "%.1f", k/1024}') |"
done
