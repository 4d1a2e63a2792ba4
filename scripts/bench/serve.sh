#!/usr/bin/env bash
# POST /predict side by side with the FastAPI peer (../shared/bench/peers/api.py, 2 uvicorn workers), in one run:
#   wrk -t2 -c32 -d15s --latency -s ../shared/bench/peers/predict.lua
# Ours: release build, bundled model, metrics recording and the SQLite store on (flushing every 5 s).
#
#   scripts/bench/serve.sh [ROUNDS]     (default 2 rounds, alternating ours/peer)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-2}
churn=$PWD/.build/release/churn
venv=$PWD/.venv-peers
peers=$(cd ../shared/bench/peers && pwd)
work=${BENCH_WORK:-$(mktemp -d)}
mkdir -p "$work"
[[ -x $churn ]] || swift build -c release --product churn
if [[ ! -f $work/peer.pkl ]]; then
  train=${TELCO:-$PWD/../shared/data/telco.csv}
  [[ -f $train ]] || { "$churn" generate --rows 7043 --seed 1 -o "$work/train.csv" --force; train=$work/train.csv; }
  (cd "$peers" && "$venv/bin/python" fit.py "$train" "$work/peer" >/dev/null)
fi
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
wait_up() { for _ in $(seq 100); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.2; done; return 1; }

rm -f "$work/store.sqlite"*
"$churn" serve --port 18741 --store "$work/store.sqlite" --log-level warning 2>"$work/serve.log" & pids+=($!)
(cd "$peers" && PEER_MODEL=$work/peer.pkl exec "$venv/bin/uvicorn" api:app --host 127.0.0.1 --port 18742 --workers 2 --log-level warning) 2>"$work/peer.log" & pids+=($!)
wait_up http://127.0.0.1:18741/health
wait_up http://127.0.0.1:18742/health

run() { wrk -t2 -c32 -d15s --latency -s "$peers/predict.lua" "http://127.0.0.1:$1/predict"; }
for ((r = 1; r <= ROUNDS; r++)); do
  echo "== round $r: churn serve"; run 18741 | grep -E "Requests/sec|99%|50%|Non-2xx|Socket errors" || true
  echo "== round $r: peer api.py (2 workers)"; run 18742 | grep -E "Requests/sec|99%|50%|Non-2xx|Socket errors" || true
done
echo "== store after the runs (metrics were recorded and flushed):"
sqlite3 "$work/store.sqlite" "select sum(requests), sum(predictions) from intervals;"
curl -s http://127.0.0.1:18741/metrics | grep -E '^http_requests_total\{method="POST",(model_version="[^"]*",)?path="/predict"'
