#!/usr/bin/env bash
# End to end: what the console shows beyond counts, in an 80x24 tmux session watching a real `churn serve`.
# Scores a file with bad rows from the Batch panel; `e` lists the rejects with their reasons and `/` filters them;
# Enter on a customer shows every input and what drove the score (also as `churn snapshot --customer`); the status
# line keeps the model version at 80 columns instead of being cut; a firing alert marks its Overview tile in
# inverse video (read with capture-pane -e, which keeps the escape codes).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/e2e/lib.sh

FIX=Tests/ChurnDashboardTests/Fixtures
mkdir -p "$E2E_TMP/files"
DATA="$E2E_TMP/files/customers.csv"
cp "$FIX/customers.csv" "$DATA"
# Three bad rows: a word for tenure, a short row, an empty customer id.
cat >> "$DATA" <<'ROWS'
9001-BAD,Male,0,No,No,abc,Yes,No,DSL,No,No,No,No,No,No,One year,No,Mailed check,50,100,No
9002-BAD,Female,0
,Male,0,No,No,5,Yes,No,DSL,No,No,No,No,No,No,One year,No,Mailed check,50,100,No
ROWS

PORT=$(free_port)
# Alert rules fire as soon as their condition holds, so a burst of one repeated customer fires the drift alert.
"$CHURN" serve --port "$PORT" --no-store --log-level warning --alert-hold 0 2>>"$E2E_TMP/serve.log" &
BG_PIDS+=("$!")
for _ in $(seq 150); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break; sleep 0.1; done
VERSION=$(curl -sf "http://127.0.0.1:$PORT/model" | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')

start_console 80 24 dashboard --api "http://127.0.0.1:$PORT" --dir "$E2E_TMP/files" --model "$FIX/model.json"
check "console comes up live" wait_for "LIVE" 15
status_line() { screen | grep -F "LIVE" | tail -1 | sed 's/[[:space:]]*$//'; }
status_ends_with_model() { status_line | grep -q -- " $VERSION\$"; }
status_has_port() { status_line | grep -q -- "$PORT"; }
check "at 80 columns the status line ends with the whole model version ($VERSION)" eventually 10 status_ends_with_model
check "the status line keeps the source's port" status_has_port

keys 5
check "the browser lists the file" wait_for "customers.csv" 10
keys Enter
check "the header check passes" wait_for "header ok" 10
keys Enter
check "results appear" wait_for "Highest-risk customers" 20
check "the badge counts the rejects" on_screen "3 rejected"

keys e
check "e lists the rejects with their reasons" wait_for "'abc' is not a number" 10
check "the short row's reason is there" on_screen "expected 21 fields"
check "the selected reject's place is spelled out" on_screen "line 302, column"
keys / e m p t y
check "/ filters the rejects as you type" wait_for "1 of 3 match" 10
keys Enter
check "only the matching reject is left" not_on_screen "'abc' is not a number"
check "the empty id is the one shown" on_screen "customer id is empty"
keys Escape
check "Esc closes the rejects view" wait_for "Highest-risk customers" 10

TOP=$(screen | grep -oE '[0-9]{4}-ABCDE' | head -1)
keys Enter
check "Enter opens the first customer ($TOP)" wait_for "Customer $TOP" 10
check "the detail shows the probability" wait_for "probability 0." 10
check "the detail shows the contributions' scale" on_screen "logit"
check "every input is listed with its value" on_screen "tenure"
check "contributions are drawn as bars" on_screen "█"
keys Escape
check "Esc returns to the results" wait_for "Highest-risk customers" 10

snapshot_text() {
  local out
  out=$("$CHURN" snapshot --customer "$TOP" --file "$DATA" --model "$FIX/model.json") && grep -q "Customer $TOP" <<<"$out"
}
snapshot_json() {
  "$CHURN" snapshot --customer "$TOP" --file "$DATA" --model "$FIX/model.json" --json |
    python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d["inputs"]) >= 19 and d["id"] == sys.argv[1], d' "$TOP"
}
check "churn snapshot --customer prints the same detail" snapshot_text
check "churn snapshot --customer --json carries every input" snapshot_json
set +e
"$CHURN" snapshot --customer 9001-BAD --file "$DATA" --model "$FIX/model.json" >/dev/null 2>"$E2E_TMP/bad.err"
code=$?
set -e
bad_row_refused() { [[ $code = 1 ]] && grep -q 'field tenure' "$E2E_TMP/bad.err"; }
check "a customer whose row is rejected exits 1 with the field named" bad_row_refused

# A burst of one customer repeated 600 times: every feature piles into one bin, drift fires at the next tick.
python3 - "$FIX/customers.csv" > "$E2E_TMP/burst.csv" <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines()
print(lines[0])
for _ in range(600):
    print(lines[1])
PY
curl -sf -o /dev/null -H 'Content-Type: text/csv' --data-binary @"$E2E_TMP/burst.csv" "http://127.0.0.1:$PORT/predict/batch"
keys 1
check "the drift alert fires and its tile says so" wait_for "FIRING" 20
firing_is_inverse() {
  tmux capture-pane -e -p -t "$SESSION" | python3 -c '
import re, sys
line = next(l for l in sys.stdin if "FIRING" in l)
before = line[:line.index("FIRING")]
codes = re.findall(r"\x1b\[([0-9;]*)m", before)
state = set()
for c in codes:
    for p in (c.split(";") if c else ["0"]):
        if p in ("0", ""): state.clear()
        elif p == "27": state.discard("7")
        else: state.add(p)
sys.exit(0 if "7" in state else 1)'
}
check "the FIRING bar is drawn in inverse video (SGR 7)" eventually 10 firing_is_inverse

keys q
for _ in $(seq 50); do [[ -e "$E2E_TMP/exit" ]] && break; sleep 0.1; done
check "q exits with status 0" test "$(cat "$E2E_TMP/exit" 2>/dev/null)" = 0
finish
