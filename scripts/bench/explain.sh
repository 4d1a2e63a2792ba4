#!/usr/bin/env bash
# The cost of explanations: `churn score` on 1,000,000 customers with a 300-tree model, without explanations,
# with --explain 3 and with --explain all, side by side in one run; and XGBoost's own TreeSHAP
# (pred_contribs=True) on the first PEER_ROWS of the same rows (default 100,000: it runs ~100x slower).
#
#   scripts/bench/explain.sh [ROUNDS]        (default 3 rounds, sides alternating within each round)
#
# Model: the peers' fit.py XGBoost model (300 trees, depth 4) on the real Telco file ($TELCO, default
# ../shared/data/telco.csv), imported with `churn import`. Rows: that file resampled to 1,000,000 customers
# (scripts/bench/resample.py). Ours: release build, 2 threads, the whole command (read, parse, encode, score,
# explain, write CSV). Peer: xgboost_contribs.py, 2 threads, the predict call alone on a prebuilt DMatrix
# (reading and one-hot encoding not timed). Reports medians, rows per second and ratios.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-3}
PEER_ROWS=${PEER_ROWS:-100000}
churn=.build/release/churn
py=${PYTHON:-.venv-peers/bin/python}
absolute() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
py=$(absolute "$py")
telco=$(absolute "${TELCO:-../shared/data/telco.csv}")
peers=../shared/bench/peers
work=${BENCH_WORK:-$(mktemp -d)}
mkdir -p "$work"
work=$(absolute "$work")

[[ -x $churn ]] || swift build -c release --product churn
[[ -f $work/peer.xgb.json ]] || (cd "$peers" && "$py" fit.py "$telco" "$work/peer" >/dev/null)
[[ -f $work/1m.csv ]] || "$py" scripts/bench/resample.py "$telco" "$work/1m.csv"
"$churn" import xgboost "$work/peer.xgb.json" --reference "$telco" -o "$work/imported.json" --quiet >/dev/null

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
seconds() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N); awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f\n", b - a}'; }
score() { "$churn" score "$work/1m.csv" --model "$work/imported.json" -o "$work/out.csv" --rejects "$work/rejects.csv" \
  --threads 2 --force --quiet "$@"; }
: > "$work/plain"; : > "$work/top3"; : > "$work/all"; : > "$work/peer-contribs"; : > "$work/peer-predict"
for ((r = 0; r < ROUNDS; r++)); do
  seconds score >> "$work/plain"
  seconds score --explain 3 >> "$work/top3"
  seconds score --explain all >> "$work/all"
  "$py" scripts/bench/xgboost_contribs.py "$work/peer.xgb.json" "$work/1m.csv" 1 2 "$PEER_ROWS" > "$work/peer.json"
  "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["pred_contribs"][0], file=open(sys.argv[2], "a")); print(d["predict"][0], file=open(sys.argv[3], "a"))' \
    "$work/peer.json" "$work/peer-contribs" "$work/peer-predict"
done
plain=$(median < "$work/plain"); top3=$(median < "$work/top3"); all=$(median < "$work/all")
contribs=$(median < "$work/peer-contribs"); predict=$(median < "$work/peer-predict")
version=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["xgboost"])' "$work/peer.json")
rate() { awk -v n="$1" -v t="$2" 'BEGIN {printf "%.0f", n / t}'; }
echo "300 trees (XGBoost $version, depth 4), 2 threads, $ROUNDS rounds; churn on 1,000,000 rows, XGBoost on the first $PEER_ROWS; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| run | rows | median s | rows/s |"
echo "|---|---|---|---|"
echo "| churn score (no explanations) | 1,000,000 | $plain | $(rate 1000000 "$plain") |"
echo "| churn score --explain 3 | 1,000,000 | $top3 | $(rate 1000000 "$top3") |"
echo "| churn score --explain all | 1,000,000 | $all | $(rate 1000000 "$all") |"
echo "| xgboost predict (DMatrix built beforehand) | $PEER_ROWS | $predict | $(rate "$PEER_ROWS" "$predict") |"
echo "| xgboost predict(pred_contribs=True) | $PEER_ROWS | $contribs | $(rate "$PEER_ROWS" "$contribs") |"
echo "explaining costs $(awk -v a="$all" -v b="$plain" 'BEGIN {printf "%.1fx", a / b}') the time of scoring alone (--explain all), $(awk -v a="$top3" -v b="$plain" 'BEGIN {printf "%.1fx", a / b}') (--explain 3);"
echo "per row, churn --explain all is $(awk -v n="$PEER_ROWS" -v c="$contribs" -v a="$all" 'BEGIN {printf "%.1fx", (c / n) / (a / 1000000)}') as fast as xgboost pred_contribs"
