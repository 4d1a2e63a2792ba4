#!/usr/bin/env bash
# Model quality with default settings, side by side with the Python peers, on every real file in ../shared/data
# and on generated files, then the table into docs/benchmarks.md (between the quality.sh markers).
# usage: scripts/bench/quality.sh [CHURN_BIN]        (default .build/release/churn; QUALITY_BIG=1 also times 1M rows)
# Needs the peers' venv: python3 -m venv .venv-peers && .venv-peers/bin/pip install -r ../shared/bench/peers/requirements.txt
#
# Method: each file is split 75/25 (stratified, seed 42) exactly as ../shared/bench/peers/quality.py splits it
# (scripts/bench/split.py writes those rows), except BigML, which ships its own train/test files. `churn train`
# runs with default settings on the training part (--test-share 0) and `churn evaluate` measures the test part at
# the model's own decision threshold. The peers (XGBoost, LightGBM, scikit-learn logistic; quality.py's settings)
# fit the same training rows and pick their F1 threshold on them: quality.py itself on Telco-schema files,
# scripts/bench/peer_quality.py (the same models) on the others.
set -euo pipefail
cd "$(dirname "$0")/../.."
churn=$(realpath "${1:-.build/release/churn}")
peers=$(realpath "${PEERS:-../shared/bench/peers}")
data=$(realpath "${DATA:-../shared/data}")
py=${PYTHON:-.venv-peers/bin/python}
[[ $py = /* ]] || py="$PWD/$py"   # not realpath: that would leave the venv for the base interpreter
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
results="$work/results.txt"
: >"$results"

# one NAME TRAIN TEST PEERS [churn train options…]: PEERS is "telco" (quality.py on the unsplit file in $work/NAME.csv)
# or the peer_quality.py arguments after the two files.
one() {
  local name=$1 train=$2 test=$3 peer=$4
  shift 4
  echo "== $name" >&2
  if [[ $peer == telco ]]; then
    (cd "$peers" && "$py" quality.py "$work/$name.csv")
  else
    "$py" scripts/bench/peer_quality.py "$train" "$test" $peer
  fi | while read -r model auc f1 _; do echo "$name $model ${auc#auc=} ${f1#f1=}"; done >>"$results"
  local start end
  start=$(date +%s.%N)
  "$churn" train "$train" -o "$work/$name.json" --test-share 0 --quiet "$@" >/dev/null
  end=$(date +%s.%N)
  local learner
  learner=$("$py" -c "import json,sys; print(json.load(open(sys.argv[1]))['learner'])" "$work/$name.json")
  "$churn" evaluate "$work/$name.json" "$test" --json |
    "$py" -c "import json,sys; m=json.load(sys.stdin); print(sys.argv[1], 'churn', f\"{m['auc']:.4f}\", f\"{m['f1']:.4f}\", sys.argv[2], sys.argv[3])" \
      "$name" "$learner" "$(echo "$end - $start" | bc)" >>"$results"
  tail -4 "$results" >&2
}

split() { "$py" scripts/bench/split.py "$@" >/dev/null; }

cp "$data/telco.csv" "$work/telco.csv"
split "$work/telco.csv" "$work/telco-train.csv" "$work/telco-test.csv"
one telco "$work/telco-train.csv" "$work/telco-test.csv" telco

one bigml "$data/bigml-train.csv" "$data/bigml-test.csv" "Churn"

for spec in "generated 7043 1 0" "generated-drift 7043 2 0.6" "generated-20k 20000 3 0"; do
  read -r name rows seed drift <<<"$spec"
  "$churn" generate --rows "$rows" --seed "$seed" --drift "$drift" -o "$work/$name.csv" --force
  split "$work/$name.csv" "$work/$name-train.csv" "$work/$name-test.csv"
  one "$name" "$work/$name-train.csv" "$work/$name-test.csv" telco
done

# A bank-customer shape (nonlinear effects, interactions): where trees should win clearly.
"$py" scripts/bench/make_bank.py 10000 3 "$work/bank.csv"
split "$work/bank.csv" "$work/bank-train.csv" "$work/bank-test.csv" Exited
one bank-synthetic "$work/bank-train.csv" "$work/bank-test.csv" "Exited --drop RowNumber CustomerId Surname" \
  --target Exited --id CustomerId --exclude RowNumber Surname

# Training time on the whole real Telco file with defaults (auto): median of 5.
times=()
for _ in 1 2 3 4 5; do
  start=$(date +%s.%N)
  "$churn" train "$data/telco.csv" -o "$work/t.json" --quiet >/dev/null
  end=$(date +%s.%N)
  times+=("$(echo "$end - $start" | bc)")
done
echo "telco-time ${times[*]}" >>"$results"
if [[ ${QUALITY_BIG:-0} = 1 ]]; then
  "$churn" generate --rows 1000000 --seed 11 -o "$work/big.csv" --force
  start=$(date +%s.%N)
  "$churn" train "$work/big.csv" -o "$work/big.json" --quiet >/dev/null
  end=$(date +%s.%N)
  echo "big-time $(echo "$end - $start" | bc) $("$py" -c "import json,sys; print(json.load(open(sys.argv[1]))['learner'])" "$work/big.json")" >>"$results"
fi

"$py" - "$results" docs/benchmarks.md <<'PY'
import sys, statistics
results, doc = sys.argv[1], sys.argv[2]
files, order, extra = {}, [], {}
for line in open(results):
    p = line.split()
    if p[0] in ("telco-time", "big-time"):
        extra[p[0]] = p[1:]
        continue
    if p[0] not in files:
        files[p[0]] = {}; order.append(p[0])
    files[p[0]][p[1]] = p[2:]
peers = ["xgboost", "lightgbm", "sklearn-logistic"]
rows = ["| file | churn (learner, train s) | XGBoost | LightGBM | sklearn logistic | best peer AUC | churn − best |",
        "|---|---|---|---|---|---|---|"]
mean = {k: [0.0, 0.0] for k in ["churn"] + peers}
for f in order:
    r = files[f]
    best = max(peers, key=lambda k: float(r[k][0]))
    cells = [f"**{r['churn'][0]} / {r['churn'][1]}** ({r['churn'][2]}, {float(r['churn'][3]):.2f} s)"] + [f"{r[k][0]} / {r[k][1]}" for k in peers]
    rows.append(f"| {f} | " + " | ".join(cells) + f" | {r[best][0]} ({best}) | {float(r['churn'][0]) - float(r[best][0]):+.4f} |")
    for k in mean:
        mean[k][0] += float(r[k][0]) / len(order); mean[k][1] += float(r[k][1]) / len(order)
rows.append("| **mean** | " + " | ".join(f"**{mean[k][0]:.4f} / {mean[k][1]:.4f}**" if k == "churn" else f"{mean[k][0]:.4f} / {mean[k][1]:.4f}" for k in ["churn"] + peers) + " | | |")
out = "\n".join(rows) + "\n"
if "telco-time" in extra:
    t = [float(x) for x in extra["telco-time"]]
    out += f"\nTraining time, whole real Telco file (7,043 rows), defaults (`auto`), wall incl. start-up: median {statistics.median(t):.2f} s of 5 ({', '.join(f'{x:.2f}' for x in t)}).\n"
if "big-time" in extra:
    out += f"\n1,000,000 generated rows (`churn generate --rows 1000000 --seed 11`), defaults: {float(extra['big-time'][0]):.1f} s wall (kept {extra['big-time'][1]}).\n"
print(out)
begin, end = "<!-- quality.sh:begin -->", "<!-- quality.sh:end -->"
text = open(doc).read()
if begin in text and end in text:
    a, b = text.index(begin) + len(begin), text.index(end)
    open(doc, "w").write(text[:a] + "\n" + out + text[b:])
    print(f"(table written to {doc})")
PY
