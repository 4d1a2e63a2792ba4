#!/usr/bin/env bash
# End to end: the real `churn dashboard` in an 80x24 tmux session, watching a real `churn serve` over HTTP
# while real clients send it predictions. Asserts that live numbers change, panels switch by key, resize
# works (larger, too small, back), the console survives its source dying and coming back (STALE, then
# LIVE), and q exits 0.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/e2e/lib.sh

PORT=$(free_port)
start_serve "$PORT"
start_traffic "$PORT"
sleep 2

start_console 80 24 dashboard --api "http://127.0.0.1:$PORT" --dir "$E2E_TMP"
check "console comes up live" wait_for "LIVE" 15
check "overview shows the request rate" on_screen "req/s"
first=$(screen | grep -F "req/s" | head -1)
sleep 3
second=$(screen | grep -F "req/s" | head -1)
check "live numbers change" test "$first" != "$second"

keys 2; check "2 shows the Drift panel" wait_for "data_drift_score" 10
keys 3; check "3 shows the Model panel" wait_for "AUC" 10
keys 4; check "4 shows the Alerts panel" wait_for "Alert rules" 10
keys Tab; check "Tab moves to Batch" wait_for "[5 Batch]" 10
keys 1; check "1 returns to Overview" wait_for "[1 Overview]" 10

tmux resize-window -t "$SESSION" -x 132 -y 40
check "grows to 132x40 and uses the wider screen" eventually 5 wider_than 100
tmux resize-window -t "$SESSION" -x 60 -y 15
check "too-small screen below the minimum" wait_for "too small" 10
for size in "100 30" "70 20" "90 25" "61 16" "80 24"; do
  read -r w h <<<"$size"; tmux resize-window -t "$SESSION" -x "$w" -y "$h"; sleep 0.05
done
check "back at 80x24 after a resize storm" wait_for "[1 Overview]" 10
# A harder storm: 300 sizes as fast as tmux can set them, tiny and huge included (docs/reliability.md).
for i in $(seq 300); do
  tmux resize-window -t "$SESSION" -x $((20 + (i * 37) % 220)) -y $((5 + (i * 13) % 70))
done
tmux resize-window -t "$SESSION" -x 80 -y 24
check "survives 300 resizes without a pause" test ! -e "$E2E_TMP/exit"
check "back at 80x24 after 300 resizes" wait_for "[1 Overview]" 10
check "still live after resizing" wait_for "LIVE" 10

kill -9 "$SERVE"; wait "$SERVE" 2>/dev/null || true
check "source killed (-9): STALE since shows" wait_for "STALE since" 15
check "the console is still running" test ! -e "$E2E_TMP/exit"
start_serve "$PORT"
check "source returns: live again" wait_for "LIVE" 40
check "no STALE mark once live" not_on_screen "STALE since"

keys q
for _ in $(seq 50); do [[ -e "$E2E_TMP/exit" ]] && break; sleep 0.1; done
check "q exits with status 0" test "$(cat "$E2E_TMP/exit" 2>/dev/null)" = 0
finish
