#!/usr/bin/env bash
# End to end: `churn dashboard --demo --range 24h` at 132x43 in tmux. The demo backfills a week of history into
# its temporary store, so the 24h and 7d charts must be drawn across their tiles' whole width with the range's
# start and "now" under them; t and T cycle the range (shown in the header); and within three minutes of demo
# the drift tile reads above zero and DataDriftHigh goes pending, then firing. One shared 3-minute deadline.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/e2e/lib.sh

MODEL=${MODEL:-Tests/ChurnDashboardTests/Fixtures/model.json}
start_console 132 43 dashboard --demo --range 24h --port 0 --model "$MODEL" --dir "$E2E_TMP"
started=$SECONDS

# charts_fill LABEL: at least two charts have an axis line "LABEL ... now", and the chart row above each such
# axis (request rate, p99, high-risk share: series that are never zero in the demo) is drawn in every column.
charts_fill() {
  screen | python3 -c '
import re, sys
label = sys.argv[1]
lines = sys.stdin.read().split("\n")
full = axes = 0
for i, line in enumerate(lines[1:], 1):
    for m in re.finditer(re.escape(label) + " ", line):
        end = line.find("now", m.end())
        if end < 0: continue
        axes += 1
        above = lines[i - 1][m.start():end + 3]
        if len(above) >= 20 and " " not in above: full += 1
sys.exit(0 if axes >= 4 and full >= 2 else 1)
' "$1"
}

check "demo console comes up live" wait_for "LIVE" 60
check "the header shows the range asked for" wait_for "range 24h" 10
check "the key bar offers the range key" on_screen "t range 24h"
check "24h histories fill their tiles' width, marked -24h ... now" eventually 15 charts_fill "-24h"
check "min and max are marked" bash -c "tmux capture-pane -p -t '$SESSION' | grep -q 'max '"
keys t
check "t cycles to 7d" wait_for "range 7d" 10
check "7d histories fill their tiles' width" eventually 15 charts_fill "-7d"
keys t
check "t cycles on to live" wait_for "range live" 10
keys T
check "T goes back to 7d" wait_for "range 7d" 10
keys t t t t t
check "five more presses come round to 24h" wait_for "range 24h" 10

# The one long wait: at most three minutes from the start for drift, then the alert.
left() { echo $((180 - (SECONDS - started))); }
drifted() { screen | grep -Eq '(^|[^0-9])[1-9][0-9]* of [0-9]+ drifted'; }
check "within 3 minutes the drift tile reads above zero" eventually "$(left)" drifted
keys 4
check "the Alerts panel comes up" wait_for "Alert rules" 10
drift_firing() { screen | grep 'DataDriftHigh' | grep -q 'FIRING'; }
check "DataDriftHigh fires within 3 minutes" eventually "$(( $(left) > 5 ? $(left) : 5 ))" drift_firing
check "its transitions show pending, then firing" bash -c "tmux capture-pane -p -t '$SESSION' | grep 'DataDriftHigh' | grep -q 'pending'"
echo "drift alert firing after $((SECONDS - started)) s of demo"

keys q
for _ in $(seq 80); do [[ -e "$E2E_TMP/exit" ]] && break; sleep 0.1; done
check "q exits with status 0" test "$(cat "$E2E_TMP/exit" 2>/dev/null)" = 0
finish
