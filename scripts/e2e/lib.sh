# Helpers for the console's end-to-end tests: a tmux session of fixed size running the real binary,
# keys sent with send-keys, the screen read with capture-pane. Sourced by scripts/e2e/*.sh.

CHURN=${CHURN:-$PWD/.build/debug/churn}
SESSION="churn-e2e-$$"
E2E_TMP=$(mktemp -d)
FAILURES=0
PASSES=0
BG_PIDS=()

cleanup() {
  tmux kill-session -t "$SESSION" 2>/dev/null || true
  for p in "${BG_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$E2E_TMP"
}
trap cleanup EXIT

# A free TCP port on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# start_serve PORT: a real `churn serve` on 127.0.0.1:PORT (bundled model, metrics in memory); waits for
# /health. Its pid is in $SERVE.
start_serve() {
  "$CHURN" serve --port "$1" --no-store --log-level warning 2>>"$E2E_TMP/serve.log" &
  SERVE=$!
  BG_PIDS+=("$SERVE")
  local i
  for ((i = 0; i < 150; i++)); do
    curl -sf "http://127.0.0.1:$1/health" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "churn serve did not start:"; cat "$E2E_TMP/serve.log"; return 1
}

# start_traffic PORT: real clients posting customers to /predict, about 20 a second, until the test ends
# (requests to a dead server just fail and are retried).
start_traffic() {
  local body='{"customerID":"7590-VHVEG","gender":"Female","SeniorCitizen":0,"Partner":"Yes","Dependents":"No","tenure":1,"PhoneService":"No","MultipleLines":"No phone service","InternetService":"DSL","OnlineSecurity":"No","OnlineBackup":"Yes","DeviceProtection":"No","TechSupport":"No","StreamingTV":"No","StreamingMovies":"No","Contract":"Month-to-month","PaperlessBilling":"Yes","PaymentMethod":"Electronic check","MonthlyCharges":29.85,"TotalCharges":29.85}'
  (
    while true; do
      curl -s -o /dev/null -m 2 -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$1/predict" || true
      sleep 0.05
    done
  ) &
  BG_PIDS+=("$!")
}

# start_console COLS ROWS ARGS... : runs `churn ARGS` in a detached tmux session; its exit status lands in
# $E2E_TMP/exit.
start_console() {
  local cols=$1 rows=$2; shift 2
  tmux new-session -d -s "$SESSION" -x "$cols" -y "$rows" \
    "cd '$PWD' && LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color $(printf '%q ' "$CHURN" "$@"); echo \$? > '$E2E_TMP/exit'; sleep 600"
}

screen() { tmux capture-pane -p -t "$SESSION"; }

keys() { tmux send-keys -t "$SESSION" "$@"; }

# wait_for TEXT [SECONDS]: waits until TEXT is on screen.
wait_for() {
  local text=$1 limit=${2:-10} i
  for ((i = 0; i < limit * 10; i++)); do
    if grep -qF -- "$text" <<<"$(screen)"; then return 0; fi
    sleep 0.1
  done
  return 1
}

# eventually SECONDS CMD...: retries CMD every 0.1 s until it succeeds or SECONDS pass (the console redraws
# asynchronously, e.g. after a resize).
eventually() {
  local limit=$1 i; shift
  for ((i = 0; i < limit * 10; i++)); do
    if "$@"; then return 0; fi
    sleep 0.1
  done
  return 1
}

wider_than() { [[ $(screen | head -1 | wc -L) -gt $1 ]]; }

check() {
  local name=$1; shift
  if "$@"; then
    PASSES=$((PASSES + 1)); echo "ok   $name"
  else
    FAILURES=$((FAILURES + 1)); echo "FAIL $name"; echo "---- screen ----"; screen || true; echo "----------------"
  fi
}

on_screen() { grep -qF -- "$1" <<<"$(screen)"; }
not_on_screen() { ! grep -qF -- "$1" <<<"$(screen)"; }

# The plain closing line CI reads: "N passed, N failed".
finish() {
  echo "$(basename "$0"): $PASSES passed, $FAILURES failed"
  [[ $FAILURES -eq 0 ]]
}
