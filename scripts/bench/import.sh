#!/usr/bin/env bash
# Imported tree models: our predictor against the libraries' own, side by side in one run, then churn score with a
# gradient-boosted model.
#
#   scripts/bench/import.sh [ROUNDS]        (default 5 rounds, alternating sides; 3 timed runs per side per round)
#   BASELINE=/path/to/older/churn scripts/bench/import.sh    also time churn score with that binary
#
# Needs the peers' venv (once, from the package root):
#   python3 -m venv .venv-peers && .venv-peers/bin/pip install -q -r ../shared/bench/peers/requirements.txt
#
# Models: the peers' fit.py on the real Telco file (../shared/data/telco.csv, or $TELCO): XGBoost (300 trees, depth
# 4) and LightGBM (300 trees, 15 leaves), or on 7,043 generated rows when the file is missing. Rows: that file
# resampled to 1,000,000 customers. Both sides encode the customers once before timing (ours: our one-hot layout in
# `churn import verify`; the peers: their own one-hot float64 matrix) and score them on 2 threads.
#   LightGBM: `churn import verify --repeat 3 --threads 2` (kernel auto, bitvector, walk) vs lleaves' compiled predict
#             (../shared/bench/peers/batch_lleaves.py --time-predict 3, which prints the median of its 3 runs).
#   XGBoost:  the same verify vs scripts/bench/xgboost_predict.py (Booster.inplace_predict, and Booster.predict
#             on a prebuilt DMatrix).
# Reports medians, ratios, and the largest difference between the sides' probabilities over all 1M rows.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-5}
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

if [[ -f $telco ]]; then train=$(cd "$(dirname "$telco")" && pwd)/$(basename "$telco"); else "$churn" generate --rows 7043 --seed 1 -o "$work/train.csv" --force; train=$work/train.csv; fi
[[ -f $work/peer.lgb.txt ]] || (cd "$peers" && "$py" fit.py "$train" "$work/peer" >/dev/null)
[[ -f $work/1m.csv ]] || "$py" scripts/bench/resample.py "$train" "$work/1m.csv"
"$churn" import xgboost "$work/peer.xgb.json" --reference "$train" -o "$work/imported.json" --quiet >/dev/null
"$churn" import lightgbm "$work/peer.lgb.txt" --reference "$train" -o "$work/imported-lgb.json" --quiet >/dev/null

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
best() { sort -g | head -1; }
fmt() { awk -v t="$1" 'BEGIN {printf "%.3f", t}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2fx", a/b}'; }
seconds() { "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); print("\n".join(map(str, d["seconds"])))' "$1"; }
worst() { "$py" -c 'import json,sys; print("%.2g" % json.load(open(sys.argv[1]))["maxAbsDifference"])' "$1"; }
row() { echo "| $1 | $(fmt "$(median < "$2")") | $(fmt "$(best < "$2")") | $(awk -v t="$(median < "$2")" 'BEGIN {printf "%.0f", 1e6/t}') |"; }

# LightGBM: lleaves' compiled predict vs ours.
: > "$work/lleaves"; : > "$work/lgb-auto"; : > "$work/lgb-bitvector"; : > "$work/lgb-walk"
for ((r = 0; r < ROUNDS; r++)); do
  "$py" "$peers/batch_lleaves.py" "$work/peer.lgb.txt" "$work/peer.features.csv" "$work/1m.csv" "$work/lleaves.csv" \
    --time-predict 3 | awk '/lleaves predict median/ {print $4}' >> "$work/lleaves"
  expected=()
  [[ $r -eq $((ROUNDS - 1)) ]] && expected=(--expected "$work/lleaves.csv" --column churn_probability --tolerance 1)
  for kernel in auto bitvector walk; do
    "$churn" import verify "$work/imported-lgb.json" "$work/1m.csv" --repeat 3 --threads 2 --kernel $kernel --json \
      "${expected[@]}" > "$work/lgb-$kernel.json"
    seconds "$work/lgb-$kernel.json" >> "$work/lgb-$kernel"
  done
done
echo "LightGBM: 1,000,000 rows, 300 trees of up to 15 leaves, 2 threads; $ROUNDS rounds (lleaves: median of 3 per round; ours: 3 runs per round); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| predictor | median s | best s | rows/s (median) |"
echo "|---|---|---|---|"
row "churn (--kernel auto: bitvector lanes, 16 rows a pass)" "$work/lgb-auto"
row "churn (--kernel bitvector: the same lanes)" "$work/lgb-bitvector"
row "churn (branch-free walks, --kernel walk)" "$work/lgb-walk"
row "lleaves predict (LLVM-compiled)" "$work/lleaves"
echo "median ratio: $(ratio "$(median < "$work/lleaves")" "$(median < "$work/lgb-auto")") vs lleaves (walk: $(ratio "$(median < "$work/lleaves")" "$(median < "$work/lgb-walk")"))"
echo "largest |difference| from lleaves' output (rounded to 6 decimals) over all rows: $(worst "$work/lgb-auto.json")"
echo

# XGBoost: inplace_predict and DMatrix predict vs ours.
: > "$work/ours"; : > "$work/ours-bitvector"; : > "$work/ours-walk"; : > "$work/inplace"; : > "$work/dmatrix"
for ((r = 0; r < ROUNDS; r++)); do
  proba=""
  [[ $r -eq $((ROUNDS - 1)) ]] && proba=$work/xgb-proba.csv
  "$py" scripts/bench/xgboost_predict.py "$work/peer.xgb.json" "$work/1m.csv" 3 2 $proba > "$work/peer.json"
  "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); print("\n".join(map(str, d["inplace_predict"])), file=open(sys.argv[2], "a")); print("\n".join(map(str, d["dmatrix_predict"])), file=open(sys.argv[3], "a"))' \
    "$work/peer.json" "$work/inplace" "$work/dmatrix"
  expected=()
  [[ -n $proba ]] && expected=(--expected "$proba" --column xgboost --tolerance 1)
  "$churn" import verify "$work/imported.json" "$work/1m.csv" --repeat 3 --threads 2 --json "${expected[@]}" > "$work/ours.json"
  seconds "$work/ours.json" >> "$work/ours"
  for kernel in bitvector walk; do
    "$churn" import verify "$work/imported.json" "$work/1m.csv" --repeat 3 --threads 2 --kernel $kernel --json > "$work/ours-$kernel.json"
    seconds "$work/ours-$kernel.json" >> "$work/ours-$kernel"
  done
done
ours=$(median < "$work/ours"); inplace=$(median < "$work/inplace"); dmatrix=$(median < "$work/dmatrix")
version=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["xgboost"])' "$work/peer.json")
echo "XGBoost $version: 1,000,000 rows x 45 features, 300 trees of depth 4, 2 threads; $((ROUNDS * 3)) runs per side; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| predictor | median s | best s | rows/s (median) |"
echo "|---|---|---|---|"
row "churn (--kernel auto: bitvector lanes, 16 rows a pass)" "$work/ours"
row "churn (--kernel bitvector: the same lanes)" "$work/ours-bitvector"
row "churn (branch-free walks, --kernel walk)" "$work/ours-walk"
row "xgboost inplace_predict (float64 numpy)" "$work/inplace"
row "xgboost predict (prebuilt DMatrix)" "$work/dmatrix"
echo "median ratio: $(ratio "$inplace" "$ours") vs inplace_predict, $(ratio "$dmatrix" "$ours") vs DMatrix predict"
echo "largest |difference| from inplace_predict over all rows: $(worst "$work/ours.json")"

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
