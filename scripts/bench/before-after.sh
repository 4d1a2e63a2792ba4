#!/usr/bin/env bash
# Batch scoring speed of two builds of churn side by side, alternating runs on one file (for "no speed lost").
#
#   scripts/bench/before-after.sh BEFORE/churn AFTER/churn FILE.csv [RUNS]     (default 7 runs per side)
#
# Make FILE with scripts/bench/resample.py (1,000,000 rows of the real Telco file). Both builds release, the
# bundled model, all cores, --force --quiet. Prints each run, the medians, the ratio and whether both wrote the
# same ids, probabilities and risk levels.
set -euo pipefail
before=$1 after=$2 file=$3 runs=${4:-7}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
: > "$work/before"; : > "$work/after"
for ((r = 0; r < runs; r++)); do
  /usr/bin/time -f "%e %M" -o "$work/t" "$before" score "$file" -o "$work/b.csv" --force --quiet >/dev/null 2>&1
  cat "$work/t" >> "$work/before"
  /usr/bin/time -f "%e %M" -o "$work/t" "$after" score "$file" -o "$work/a.csv" --force --quiet >/dev/null 2>&1
  cat "$work/t" >> "$work/after"
done
bt=$(cut -d' ' -f1 "$work/before" | median); at=$(cut -d' ' -f1 "$work/after" | median)
echo "before: $(cut -d' ' -f1 "$work/before" | paste -sd' ') s; median $bt s, peak RSS $(cut -d' ' -f2 "$work/before" | median) KB"
echo "after:  $(cut -d' ' -f1 "$work/after" | paste -sd' ') s; median $at s, peak RSS $(cut -d' ' -f2 "$work/after" | median) KB"
echo "ratio after/before: $(awk -v a="$at" -v b="$bt" 'BEGIN {printf "%.3f", a/b}')"
if cmp -s <(cut -d, -f1-3 "$work/b.csv") <(cut -d, -f1-3 "$work/a.csv"); then echo "same ids, probabilities, risk levels"; else echo "outputs differ"; fi
