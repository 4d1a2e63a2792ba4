#!/usr/bin/env bash
# Model quality side by side with the Python peers on the fixed split of ../shared/bench/peers/quality.py.
# usage: scripts/bench/quality.sh DATA.csv [CHURN_BIN]
# Needs the peers' venv: python3 -m venv .venv-peers && .venv-peers/bin/pip install -r ../shared/bench/peers/requirements.txt
set -euo pipefail
data=$(realpath "$1")
churn=$(realpath "${2:-.build/release/churn}")
peers=$(realpath "${PEERS:-../shared/bench/peers}")
py=${PYTHON:-.venv-peers/bin/python}
[[ $py = /* ]] || py="$PWD/$py"   # not realpath: that would leave the venv for the base interpreter
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== peers (quality.py: 75/25 stratified split, seed 42; F1 at the threshold maximising F1 on the training part)"
(cd "$peers" && "$py" quality.py "$data")

"$py" scripts/bench/split.py "$data" "$work/train.csv" "$work/test.csv" >/dev/null
echo "== churn (trained on the same 75%, --test-share 0; evaluated on the same 25%)"
for learner in logistic gbt auto; do
  "$churn" train "$work/train.csv" -o "$work/$learner.json" --learner "$learner" --test-share 0 --quiet >/dev/null
  "$churn" evaluate "$work/$learner.json" "$work/test.csv" --json |
    "$py" -c "import json,sys; m=json.load(sys.stdin); print(f\"churn-$learner\".ljust(18), f\"auc={m['auc']:.4f} f1={m['f1']:.4f} threshold={m['threshold']:.2f}\")"
done
