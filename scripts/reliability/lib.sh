# Shared by the reliability scripts: the release binary, a scratch directory, starting churn serve on a free
# loopback port and waiting for it, sampling a process's resident memory, reading the metrics store.
# Everything a script starts is stopped when it exits.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
churn=${CHURN_BIN:-$root/.build/release/churn}
[[ -x $churn ]] || (cd "$root" && swift build -c release --product churn >/dev/null)
work=${RELIABILITY_WORK:-$(mktemp -d /tmp/churn-reliability.XXXXXX)}
mkdir -p "$work"
started=()
cleanup() { for p in "${started[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_serve PORT LOG ARGS... : starts churn serve in the background, sets serve_pid, waits for /health.
start_serve() {
  local port=$1 log=$2
  shift 2
  "$churn" serve --host 127.0.0.1 --port "$port" --log-level warning "$@" 2>>"$log" &
  serve_pid=$!
  started+=("$serve_pid")
  for _ in $(seq 200); do
    curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && return 0
    kill -0 "$serve_pid" 2>/dev/null || { echo "churn serve exited; its log:" >&2; cat "$log" >&2; return 1; }
    sleep 0.1
  done
  echo "churn serve did not answer /health in 20 s" >&2
  return 1
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# sample_rss PID INTERVAL FILE : appends "seconds rss_kb" lines until the process exits (run in the background).
sample_rss() {
  local pid=$1 interval=$2 file=$3 t0
  t0=$(date +%s.%N)
  while kill -0 "$pid" 2>/dev/null; do
    echo "$(python3 -c "import time; print(round(time.time() - $t0, 1))") $(rss_kb "$pid")" >>"$file"
    sleep "$interval"
  done
}

stored_requests() { sqlite3 "$1" "SELECT COALESCE(SUM(requests), 0) FROM intervals;"; }
integrity() { sqlite3 "$1" "PRAGMA integrity_check;"; }
