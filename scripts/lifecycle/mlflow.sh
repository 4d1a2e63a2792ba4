#!/usr/bin/env bash
# churn against a real MLflow tracking server: `churn train --mlflow-uri` logs a run (parameters, metrics and
# model/model.json through the artifact proxy) and registers it as a model version; `churn model pull`
# fetches registered versions back into a local registry, byte for byte.
#
# MLflow (pinned below) is installed into the git-ignored .venv-mlflow on first run; the server runs on a free
# loopback port with a temporary SQLite backend store and --serve-artifacts, and is stopped at the end.
#
#   scripts/lifecycle/mlflow.sh          (CHURN=path/to/churn to test another build)
set -euo pipefail
cd "$(dirname "$0")/../.."
MLFLOW_VERSION=3.17.2
CHURN=${CHURN:-$PWD/.build/debug/churn}
venv=$PWD/.venv-mlflow
if [[ ! -x $venv/bin/mlflow ]] || [[ $("$venv/bin/python" -c 'import mlflow; print(mlflow.__version__)' 2>/dev/null) != "$MLFLOW_VERSION" ]]; then
  echo "mlflow.sh: installing mlflow==$MLFLOW_VERSION into $venv (first run only)"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "mlflow==$MLFLOW_VERSION"
fi

work=$(mktemp -d)
server=""
cleanup() {
  if [[ -n $server ]]; then kill -- -"$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
failures=0
passes=0
check() { # check DESCRIPTION COMMAND...
  if "${@:2}"; then passes=$((passes + 1)); echo "ok   $1"; else failures=$((failures + 1)); echo "FAIL $1"; fi
}

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
uri=http://127.0.0.1:$port
started=$(date +%s)
# setsid: the server and its workers form one process group, stopped together at the end.
setsid "$venv/bin/mlflow" server --host 127.0.0.1 --port "$port" --workers 1 \
  --backend-store-uri "sqlite:///$work/mlflow.db" --artifacts-destination "$work/artifacts" --serve-artifacts \
  >"$work/mlflow.log" 2>&1 &
server=$!
for _ in $(seq 240); do curl -sf "$uri/health" >/dev/null 2>&1 && break; sleep 0.25; done
curl -sf "$uri/health" >/dev/null || { echo "mlflow server did not start:"; tail -20 "$work/mlflow.log"; exit 1; }
echo "mlflow $MLFLOW_VERSION up on $uri in $(($(date +%s) - started)) s"

export XDG_STATE_HOME=$work/state
"$CHURN" generate --rows 1500 --seed 21 -o "$work/train.csv" >/dev/null
"$CHURN" train "$work/train.csv" -o "$work/one.json" --learner logistic --l2 1 \
  --mlflow-uri "$uri" --experiment churn-it --mlflow-model churn >"$work/train1.txt"
"$CHURN" train "$work/train.csv" -o "$work/two.json" --learner logistic --l2 0.5 --seed 7 \
  --mlflow-uri "$uri" --experiment churn-it --mlflow-model churn >"$work/train2.txt"
grep MLflow: "$work/train1.txt" "$work/train2.txt"
run=$(sed -n 's/^MLflow: run \([0-9a-f]*\) .*/\1/p' "$work/train1.txt")

api() { curl -sf "$uri/api/2.0/mlflow/$1"; }
check "the experiment was created" grep -q '"name": *"churn-it"' <<<"$(api "experiments/get-by-name?experiment_name=churn-it")"
runjson=$(api "runs/get?run_id=$run")
field() { python3 -c "import json,sys; r=json.loads(sys.argv[1])['run']['data']; print({x['key']: x['value'] for x in r.get(sys.argv[2], [])}.get(sys.argv[3], ''))" "$runjson" "$@"; }
check "the run is FINISHED" grep -q '"status": *"FINISHED"' <<<"$runjson"
check "the run has the learner as a parameter (learner=$(field params learner))" test "$(field params learner)" = logistic
check "the run has the L2 setting as a parameter (l2=$(field params l2))" test -n "$(field params l2)"
check "the run has the held-out AUC as a metric (auc=$(field metrics auc))" python3 -c "import sys; assert 0.5 < float(sys.argv[1]) <= 1" "$(field metrics auc)"
check "the run has F1 and log loss" test -n "$(field metrics f1)" -a -n "$(field metrics log_loss)"
artifacts=$(api "artifacts/list?run_id=$run&path=model")
check "the artifact model/model.json was uploaded" grep -q '"path": *"model/model.json"' <<<"$artifacts"
check "two versions of models:/churn were registered" grep -q '"version": *"2"' <<<"$(api "model-versions/get?name=churn&version=2")"

reg=$work/registry
"$CHURN" model pull --mlflow-uri "$uri" models:/churn/1 --registry "$reg"
"$CHURN" model pull --mlflow-uri "$uri" models:/churn/latest --registry "$reg" --promote
"$CHURN" model list --registry "$reg"
index=$(cat "$reg/registry.json")
v1=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$work/one.json")
v2=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$work/two.json")
check "models:/churn/1 was pulled as the first run's model" cmp -s "$work/one.json" "$reg/versions/$v1/model.json"
check "models:/churn/latest was pulled as the second run's model" cmp -s "$work/two.json" "$reg/versions/$v2/model.json"
check "the pulled version records its MLflow run" grep -q "\"mlflowRun\" : \"$run\"" <<<"$index"
check "--promote made the latest version production" grep -q "\"production\" : \"$v2\"" <<<"$index"
if "$CHURN" model pull --mlflow-uri "$uri" models:/churn/9 --registry "$reg" 2>"$work/missing.txt"; then
  check "a missing version fails" false
else
  check "a missing version fails with MLflow's reason: $(head -c 120 "$work/missing.txt")" grep -q "RESOURCE_DOES_NOT_EXIST" "$work/missing.txt"
fi

echo "mlflow: $passes passed, $failures failed"
[[ $failures -eq 0 ]]
