#!/usr/bin/env bash
# End to end: `churn dashboard --demo` in an 80x24 tmux session. The embedded engine serves the real HTTP
# API and the demo sends generated customers through it: the request count must grow, panels switch by
# key, a real client can reach the API the status line names, resizes are survived, and q exits 0.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/e2e/lib.sh

MODEL=${MODEL:-Tests/ChurnDashboardTests/Fixtures/model.json}
start_console 80 24 dashboard --demo --port 0 --model "$MODEL" --dir "$E2E_TMP"
check "demo console comes up live" wait_for "LIVE" 20
check "the status line names the embedded API" wait_for "embedded, API on 127.0.0.1:" 10
port=$(screen | grep -o 'API on 127.0.0.1:[0-9]*' | head -1 | sed 's/.*://')
check "a real client reaches the embedded API" \
  bash -c "curl -sf 'http://127.0.0.1:$port/health' | grep -q ok"

total() { screen | grep -o 'total [0-9][0-9,]*' | head -1 | tr -dc '0-9'; }
wait_for "total" 10 || true
first=$(total)
sleep 4
second=$(total)
check "traffic flows: the request total grows ($first -> $second)" test "${second:-0}" -gt "${first:-0}"
check "predictions by risk level are shown" on_screen "high"

keys 2; check "2 shows drift" wait_for "data_drift_score" 10
keys 4; check "4 shows the alert rules" wait_for "Alert rules" 10
keys 3; check "3 shows the served model" wait_for "AUC" 10
keys 1; check "back to Overview" wait_for "[1 Overview]" 10

tmux resize-window -t "$SESSION" -x 160 -y 48
check "grows to 160x48 and uses the wider screen" eventually 10 wider_than 120
tmux resize-window -t "$SESSION" -x 40 -y 12
check "too small at 40x12" wait_for "too small" 10
tmux resize-window -t "$SESSION" -x 80 -y 24
check "back to 80x24" wait_for "[1 Overview]" 10
check "still live" wait_for "LIVE" 10

keys q
for _ in $(seq 80); do [[ -e "$E2E_TMP/exit" ]] && break; sleep 0.1; done
check "q exits with status 0" test "$(cat "$E2E_TMP/exit" 2>/dev/null)" = 0
check "the embedded API is gone after exit" bash -c "! curl -sf 'http://127.0.0.1:$port/health' >/dev/null 2>&1"
finish
