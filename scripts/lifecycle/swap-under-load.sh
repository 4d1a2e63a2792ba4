#!/usr/bin/env bash
# Zero-downtime promotion, measured: a real `churn serve --registry` under wrk load while
#   1. `churn model promote` makes a new version production (the server must swap within ~1 s),
#   2. a corrupt artifact is force-promoted (the server must refuse it and keep serving),
#   3. an incompatible model (it needs a column clients do not send) is force-promoted (refused too),
#   4. `churn model rollback` + SIGHUP puts the old version back at once.
# Passes when no answer is non-2xx, no socket error happens, answers carry the old version before the swap and
# the new one after it (never the old one again on a connection that saw the new one), and
# churn_model_reload_total counts the swaps and refusals.
#
#   scripts/lifecycle/swap-under-load.sh        (CHURN=path/to/churn to test another build)
set -euo pipefail
cd "$(dirname "$0")/../.."
CHURN=${CHURN:-$PWD/.build/debug/churn}
LOAD_SECONDS=${LOAD_SECONDS:-12}
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
failures=0
passes=0
check() { # check DESCRIPTION COMMAND...
  if "${@:2}"; then passes=$((passes + 1)); echo "ok   $1"; else failures=$((failures + 1)); echo "FAIL $1"; fi
}

export XDG_STATE_HOME=$work/state
reg=$work/registry
"$CHURN" generate --rows 1500 --seed 11 -o "$work/a.csv" >/dev/null
"$CHURN" generate --rows 1500 --seed 12 -o "$work/b.csv" >/dev/null
# Fixed L2 skips cross-validation: these models only need to differ, quickly.
"$CHURN" train "$work/a.csv" -o "$work/a.json" --learner logistic --l2 1 --quiet --register --registry "$reg" >/dev/null
"$CHURN" train "$work/b.csv" -o "$work/b.json" --learner logistic --l2 1 --quiet --register --registry "$reg" >/dev/null
# A model of another schema: it needs a column (Region) that clients of the served model do not send.
awk -F, 'NR == 1 { print $0 ",Region"; next } { print $0 ",R" (NR % 3) }' "$work/a.csv" >"$work/wide.csv"
"$CHURN" train "$work/wide.csv" -o "$work/wide.json" --learner logistic --l2 1 --quiet --register --registry "$reg" >/dev/null
old=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$work/a.json")
new=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$work/b.json")
wide=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$work/wide.json")
"$CHURN" model promote 1 --registry "$reg" >/dev/null
# A corrupt candidate: registered, then its file damaged on disk (as a bad copy or a full disk would).
"$CHURN" generate --rows 1500 --seed 13 -o "$work/c.csv" >/dev/null
"$CHURN" train "$work/c.csv" -o "$work/c.json" --learner logistic --l2 1 --quiet --register --registry "$reg" >/dev/null
corrupt=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$work/c.json")
truncate -s 2000 "$reg/versions/$corrupt/model.json"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
"$CHURN" serve --port "$port" --registry "$reg" --no-store --log-level notice 2>"$work/serve.log" &
serve=$!
pids+=("$serve")
for _ in $(seq 150); do curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$port/health" >/dev/null || { echo "churn serve did not start:"; cat "$work/serve.log"; exit 1; }

export SWAP_OLD=$old SWAP_NEW=$new
export SWAP_BODY='{"customerID":"7590-VHVEG","gender":"Female","SeniorCitizen":0,"Partner":"Yes","Dependents":"No","tenure":1,"PhoneService":"No","MultipleLines":"No phone service","InternetService":"DSL","OnlineSecurity":"No","OnlineBackup":"Yes","DeviceProtection":"No","TechSupport":"No","StreamingTV":"No","StreamingMovies":"No","Contract":"Month-to-month","PaperlessBilling":"Yes","PaymentMethod":"Electronic check","MonthlyCharges":29.85,"TotalCharges":29.85}'
echo "load: wrk -t4 -c4 -d${LOAD_SECONDS}s POST /predict; promote $new after 3 s, a corrupt and an incompatible model about 3 s and 4 s later"
wrk -t4 -c4 -d"${LOAD_SECONDS}s" -s scripts/lifecycle/swap.lua "http://127.0.0.1:$port/predict" >"$work/wrk.txt" 2>&1 &
load=$!
sleep 3
promoted_at=$(date +%s.%N)
"$CHURN" model promote 2 --registry "$reg" >/dev/null
# The server polls the index every second: it serves the new version within about 1 s.
swapped_at=""
for _ in $(seq 60); do
  v=$(curl -s "http://127.0.0.1:$port/ready" | python3 -c 'import json,sys; print(json.load(sys.stdin)["model"])')
  if [[ $v == "$new" ]]; then swapped_at=$(date +%s.%N); break; fi
  sleep 0.05
done
sleep 3
"$CHURN" model promote "$corrupt" --force --registry "$reg" >/dev/null
sleep 1
"$CHURN" model promote "$wide" --force --registry "$reg" >/dev/null
wait "$load"
cat "$work/wrk.txt" | grep -E "Requests/sec|Latency|SWAP" || true
line=$(grep '^SWAP ' "$work/wrk.txt")
get() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<" $line"; }

echo "swap seen by the server $(python3 -c "print(round($swapped_at - $promoted_at, 2))" 2>/dev/null || echo '?') s after the promote"
check "wrk answered (answers=$(get answers))" test "$(get answers)" -gt 100
check "no non-2xx answers (non2xx=$(get non2xx))" test "$(get non2xx)" -eq 0
check "no socket errors (socket_errors=$(get socket_errors))" test "$(get socket_errors)" -eq 0
check "answers before the swap carry the old version (old=$(get old))" test "$(get old)" -gt 0
check "answers after the swap carry the new version (new=$(get new))" test "$(get new)" -gt 0
check "every answer carries the old or the new version (other=$(get other))" test "$(get other)" -eq 0
check "no connection saw the old version after the new one (old_after_new=$(get old_after_new))" test "$(get old_after_new)" -eq 0
check "the server swapped within 3 s of the promote" test -n "$swapped_at"

metrics=$(curl -s "http://127.0.0.1:$port/metrics")
check "churn_model_reload_total{result=\"ok\"} is 1" grep -qx 'churn_model_reload_total{result="ok"} 1' <<<"$metrics"
check "churn_model_reload_total{result=\"refused\"} is 2 (corrupt, incompatible)" grep -qx 'churn_model_reload_total{result="refused"} 2' <<<"$metrics"
check "the refusals are logged with their reason" grep -q "model $corrupt refused.*checksum" "$work/serve.log"
check "the incompatible model is refused for its columns" grep -q "model $wide refused.*Region" "$work/serve.log"
after=$(curl -s -H 'Content-Type: application/json' -d "$SWAP_BODY" "http://127.0.0.1:$port/predict")
check "the new version still serves after the refusals" grep -q "\"model_version\":\"$new\"" <<<"$after"
check "predictions_total carries model_version for the old version" grep -q "^predictions_total{model_version=\"$old\"" <<<"$metrics"
check "predictions_total carries model_version for the new version" grep -q "^predictions_total{model_version=\"$new\"" <<<"$metrics"

# Rollback: the registry walks back past the refused versions to the old one; SIGHUP applies it at once.
"$CHURN" model rollback --registry "$reg" >/dev/null   # wide -> corrupt
"$CHURN" model rollback --registry "$reg" >/dev/null   # corrupt -> new (already served)
"$CHURN" model rollback --registry "$reg" >/dev/null   # new -> old
kill -HUP "$serve"
sleep 0.3
check "rollback + SIGHUP serves the old version again" grep -q "\"model\":\"$old\"" <<<"$(curl -s "http://127.0.0.1:$port/ready")"
check "the server is still running" kill -0 "$serve"

echo "swap-under-load: $passes passed, $failures failed"
[[ $failures -eq 0 ]]
