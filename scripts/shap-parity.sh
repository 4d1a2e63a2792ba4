#!/usr/bin/env bash
# TreeSHAP parity on the real Telco file: `churn score --explain all` with the peers' XGBoost and LightGBM models
# imported, against the libraries' own exact TreeSHAP (XGBoost pred_contribs=True, LightGBM pred_contrib=True)
# summed per input column, for every customer and every column, and the base value. Fails when any differs by
# more than 1e-5 (our output has six decimals).
#
#   scripts/shap-parity.sh                 (TELCO=path to use another Telco-schema file; CHURN=binary to test)
#   PYTHON=/path/to/python scripts/shap-parity.sh      (default .venv-peers/bin/python, the peers' venv)
set -euo pipefail
cd "$(dirname "$0")/.."
py=${PYTHON:-.venv-peers/bin/python}
telco=${TELCO:-../shared/data/telco.csv}
churn=${CHURN:-.build/debug/churn}
peers=../shared/bench/peers
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

[[ -x $churn ]] || swift build --product churn
absolute() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
py=$(absolute "$py"); telco=$(absolute "$telco")
(cd "$peers" && "$py" fit.py "$telco" "$work/peer" >/dev/null)
status=0
for lib in xgboost lightgbm; do
  model=$work/peer.xgb.json
  [[ $lib == lightgbm ]] && model=$work/peer.lgb.txt
  "$churn" import "$lib" "$model" --reference "$telco" -o "$work/$lib.json" --quiet >/dev/null
  "$churn" score "$telco" --model "$work/$lib.json" --explain all -o "$work/$lib.explained.csv" \
    --rejects "$work/$lib.rejects.csv" --quiet
  "$py" scripts/shap_parity.py "$lib" "$model" "$telco" "$work/$lib.explained.csv" || status=1
done
exit $status
