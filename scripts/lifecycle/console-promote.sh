#!/usr/bin/env bash
# End to end: the real `churn dashboard --api` in an 80x24 tmux session, watching a real
# `churn serve --registry --canary` with a token while clients send traffic. The Model panel shows live and
# canary side by side; P asks, n cancels, P then y promotes the canary through the admin route; the server
# swaps, the registry records it, and the panel shows the canary as live. B then y rolls back.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/e2e/lib.sh

reg=$E2E_TMP/registry
export XDG_STATE_HOME=$E2E_TMP/state
"$CHURN" generate --rows 1500 --seed 31 -o "$E2E_TMP/a.csv" >/dev/null
"$CHURN" generate --rows 1500 --seed 32 -o "$E2E_TMP/b.csv" >/dev/null
"$CHURN" train "$E2E_TMP/a.csv" -o "$E2E_TMP/a.json" --learner logistic --l2 1 --quiet --register --registry "$reg" >/dev/null
"$CHURN" train "$E2E_TMP/b.csv" -o "$E2E_TMP/b.json" --learner logistic --l2 1 --quiet --register --registry "$reg" >/dev/null
"$CHURN" model promote 1 --registry "$reg" >/dev/null
live=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$E2E_TMP/a.json")
canary=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$E2E_TMP/b.json")
echo s3cret >"$E2E_TMP/token"
export CHURN_API_TOKEN=s3cret

PORT=$(free_port)
"$CHURN" serve --port "$PORT" --no-store --registry "$reg" --canary 2 --canary-share 0.5 --token-file "$E2E_TMP/token" \
  --log-level warning 2>>"$E2E_TMP/serve.log" &
SERVE=$!
BG_PIDS+=("$SERVE")
for _ in $(seq 150); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break; sleep 0.1; done
# Clients with many customer ids, so both models score.
(
  for i in $(seq 100000); do
    id=$(printf '%04d-LIFE' $((i % 500)))
    curl -s -o /dev/null -m 2 -H 'Content-Type: application/json' -H "Authorization: Bearer s3cret" -d "{\"customerID\":\"$id\",\"gender\":\"Female\",\"SeniorCitizen\":0,\"Partner\":\"Yes\",\"Dependents\":\"No\",\"tenure\":$((i % 70)),\"PhoneService\":\"No\",\"MultipleLines\":\"No phone service\",\"InternetService\":\"DSL\",\"OnlineSecurity\":\"No\",\"OnlineBackup\":\"Yes\",\"DeviceProtection\":\"No\",\"TechSupport\":\"No\",\"StreamingTV\":\"No\",\"StreamingMovies\":\"No\",\"Contract\":\"Month-to-month\",\"PaperlessBilling\":\"Yes\",\"PaymentMethod\":\"Electronic check\",\"MonthlyCharges\":29.85,\"TotalCharges\":29.85}" "http://127.0.0.1:$PORT/predict" || true
    sleep 0.02
  done
) &
BG_PIDS+=("$!")

start_console 80 24 dashboard --api "http://127.0.0.1:$PORT" --dir "$E2E_TMP"
check "console comes up live" wait_for "LIVE" 15
keys 3
check "the Model panel compares live and canary" wait_for "Live vs canary" 5
check "the live and canary versions are side by side" wait_for "CANARY" 5
check "the live model is named" on_screen "$live"
check "the canary is named" on_screen "$canary"
check "both models show their share" wait_for "50%" 5
check "the key bar offers promote and roll back" on_screen "P promote canary"

keys P
check "P asks before promoting" wait_for "Promote $canary" 3
keys n
check "n cancels: nothing changed" wait_for "Live vs canary" 3
check "the registry is unchanged after n" grep -q "\"production\" : \"$live\"" "$reg/registry.json"

keys P; wait_for "Promote $canary" 3 || true
keys y
check "y promotes: the console says so" wait_for "promoted $canary" 10
check "the registry names the canary as production" grep -q "\"production\" : \"$canary\"" "$reg/registry.json"
check "the panel shows it as the live model" wait_for "Model $canary" 10
check "no canary any more" wait_for "no canary" 5
check "the server answers with the new version" \
  grep -q "\"model\":\"$canary\"" <<<"$(curl -s "http://127.0.0.1:$PORT/ready")"

keys B
check "B asks before rolling back" wait_for "Roll back from $canary" 3
keys y
check "y rolls back" wait_for "rolled back to $live" 10
check "the server serves the old version again" \
  grep -q "\"model\":\"$live\"" <<<"$(curl -s "http://127.0.0.1:$PORT/ready")"

keys q
for _ in $(seq 50); do [[ -e "$E2E_TMP/exit" ]] && break; sleep 0.1; done
check "q exits with status 0" test "$(cat "$E2E_TMP/exit" 2>/dev/null)" = 0
finish
