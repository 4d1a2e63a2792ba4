#!/usr/bin/env bash
# Imported XGBoost model: our predictor against XGBoost's own predict, side by side in one run; then churn score
# with a gradient-boosted model.
#
#   scripts/bench/import.sh [ROUNDS]        (default 5 rounds, alternating sides; 3 timed runs per side per round)
#   BASELINE=/path/to/older/churn scripts/bench/import.sh    also time churn score with that binary
#
# Model: the peers' fit.py on the real Telco file (300 trees, depth 4, hist), or on 7,043 generated rows when
# /work/data/telco.csv (or $TELCO) is missing. Rows: that file resampled to 1,000,000 customers. Both sides get the
# same customers, encoded once before timing (ours: our one-hot layout; XGBoost: the peers' get_dummies matrix,
# float64), and both use 2 threads. Ours: `churn import verify --repeat 3 --threads 2` (block predictor over the
# row-major matrix). Peer: scripts/bench/xgboost_predict.py (Booster.inplace_predict, and Booster.predict on a
# prebuilt DMatrix). Reports medians over all runs, the ratio, and the largest difference between the two sides'
# probabilities over all 1M rows.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-5}
churn=$PWD/.build/release/churn
py=${PYTHON:-$PWD/.venv-peers/bin/python}
[[ -x $py ]] || py=/work/main/.venv-peers/bin/python
peers=$(cd ../shared/bench/peers 2>/dev/null && pwd || echo /work/shared/bench/peers)
telco=${TELCO:-/work/data/telco.csv}
work=${BENCH_WORK:-$(mktemp -d)}
mkdir -p "$work"

[[ -x $churn ]] || swift build -c release --product churn

if [[ -f $telco ]]; then train=$telco; else "$churn" generate --rows 7043 --seed 1 -o "$work/train.csv" --force; train=$work/train.csv; fi
[[ -f $work/peer.xgb.json ]] || (cd "$peers" && "$py" fit.py "$train" "$work/peer" >/dev/null)
if [[ ! -f $work/1m.csv ]]; then
  "$py" scripts/bench/resample.py "$train" "$work/1m.csv"
fi
"$churn" import xgboost "$work/peer.xgb.json" --reference "$train" -o "$work/imported.json" --quiet >/dev/null

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
: > "$work/ours"; : > "$work/inplace"; : > "$work/dmatrix"
for ((r = 0; r < ROUNDS; r++)); do
  proba=""
  [[ $r -eq $((ROUNDS - 1)) ]] && proba=$work/xgb-proba.csv
  "$py" scripts/bench/xgboost_predict.py "$work/peer.xgb.json" "$work/1m.csv" 3 2 $proba > "$work/peer.json"
  "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); print("\n".join(map(str, d["inplace_predict"])), file=open(sys.argv[2], "a")); print("\n".join(map(str, d["dmatrix_predict"])), file=open(sys.argv[3], "a"))' \
    "$work/peer.json" "$work/inplace" "$work/dmatrix"
  expected=()
  [[ -n $proba ]] && expected=(--expected "$proba" --column xgboost --tolerance 1)
  "$churn" import verify "$work/imported.json" "$work/1m.csv" --repeat 3 --threads 2 --json "${expected[@]}" > "$work/ours.json"
  "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); print("\n".join(map(str, d["seconds"])), file=open(sys.argv[2], "a"))' "$work/ours.json" "$work/ours"
done
best() { sort -g | head -1; }
fmt() { awk -v t="$1" 'BEGIN {printf "%.3f", t}'; }
ours=$(median < "$work/ours"); inplace=$(median < "$work/inplace"); dmatrix=$(median < "$work/dmatrix")
version=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["xgboost"])' "$work/peer.json")
worst=$("$py" -c 'import json,sys; print("%.2g" % json.load(open(sys.argv[1]))["maxAbsDifference"])' "$work/ours.json")
echo "1,000,000 rows x 45 features, 300 trees (XGBoost $version), 2 threads; $((ROUNDS * 3)) runs per side; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| predictor | median s | best s | rows/s (median) |"
echo "|---|---|---|---|"
echo "| churn (imported model, block predictor) | $(fmt "$ours") | $(fmt "$(best < "$work/ours")") | $(awk -v t="$ours" 'BEGIN {printf "%.0f", 1e6/t}') |"
echo "| xgboost inplace_predict (float64 numpy) | $(fmt "$inplace") | $(fmt "$(best < "$work/inplace")") | $(awk -v t="$inplace" 'BEGIN {printf "%.0f", 1e6/t}') |"
echo "| xgboost predict (prebuilt DMatrix) | $(fmt "$dmatrix") | $(fmt "$(best < "$work/dmatrix")") | $(awk -v t="$dmatrix" 'BEGIN {printf "%.0f", 1e6/t}') |"
echo "median ratio: $(awk -v a="$inplace" -v b="$ours" 'BEGIN {printf "%.2fx", a/b}') vs inplace_predict, $(awk -v a="$dmatrix" -v b="$ours" 'BEGIN {printf "%.2fx", a/b}') vs DMatrix predict"
echo "largest |difference| from inplace_predict over all rows: $worst"

# churn score, 1M generated customers, a GBT trained on 100k generated rows.
[[ -f $work/gen1m.csv ]] || "$churn" generate --rows 1000000 --seed 7 -o "$work/gen1m.csv" --force >/dev/null
if [[ ! -f $work/gbt.json ]]; then
  "$churn" generate --rows 100000 --seed 3 -o "$work/train100k.csv" --force >/dev/null
  "$churn" train "$work/train100k.csv" --learner gbt -o "$work/gbt.json" --quiet >/dev/null
fi
trees=$("$py" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["predictor"]["trees"]["trees"]))' "$work/gbt.json")
measure() { /usr/bin/time -f "%e %U" -o "$work/time" "$@" >/dev/null 2>&1; cat "$work/time"; }
sides=("$churn")
[[ -n ${BASELINE:-} ]] && sides+=("$BASELINE")
echo
echo "churn score, 1,000,000 generated rows, GBT of $trees trees; median of $ROUNDS; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| binary | median wall s | median CPU s |"
echo "|---|---|---|"
for i in "${!sides[@]}"; do : > "$work/score-$i"; done
for ((r = 0; r < ROUNDS; r++)); do
  for i in "${!sides[@]}"; do
    measure "${sides[$i]}" score "$work/gen1m.csv" --model "$work/gbt.json" -o "$work/scored.csv" --force --quiet >> "$work/score-$i"
  done
done
for i in "${!sides[@]}"; do
  echo "| ${sides[$i]} | $(cut -d' ' -f1 "$work/score-$i" | median) | $(cut -d' ' -f2 "$work/score-$i" | median) |"
done
