#!/usr/bin/env bash
# POST /predict side by side with the FastAPI peer (../shared/bench/peers/api.py, 2 uvicorn workers), in one run:
#   wrk -t2 -c32 -d15s --latency -s ../shared/bench/peers/predict.lua
# Ours: release build, bundled model, metrics recording and the SQLite store on (flushing every 5 s).
#
#   scripts/bench/serve.sh [ROUNDS]     (default 2 rounds, alternating ours/peer)
#
# Before/after a change ("throughput and p99 within noise"): BASELINE=/path/to/old/churn runs that binary too, on
# its own port and store, alternating with ours every round, and prints each side's medians and the ratio.
# PEER=0 leaves the peer out (only before/after). PORT_BASE moves the ports (default 18741, 18742, 18743);
# CHURN=path runs that build as ours instead of .build/release/churn.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-2}
churn=${CHURN:-$PWD/.build/release/churn}
baseline=${BASELINE:-}
with_peer=${PEER:-1}
# Ours on PORT_BASE, the peer on +1, the baseline on +2 (set it when other servers run on this machine).
ours_port=${PORT_BASE:-18741}
peer_port=$((ours_port + 1))
base_port=$((ours_port + 2))
venv=$PWD/.venv-peers
peers=$(cd ../shared/bench/peers && pwd)
work=${BENCH_WORK:-$(mktemp -d)}
mkdir -p "$work"
[[ -x $churn ]] || swift build -c release --product churn
if [[ $with_peer == 1 && ! -f $work/peer.pkl ]]; then
  train=${TELCO:-$PWD/../shared/data/telco.csv}
  [[ -f $train ]] || { "$churn" generate --rows 7043 --seed 1 -o "$work/train.csv" --force; train=$work/train.csv; }
  (cd "$peers" && "$venv/bin/python" fit.py "$train" "$work/peer" >/dev/null)
fi
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
wait_up() { for _ in $(seq 100); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.2; done; return 1; }

rm -f "$work/store.sqlite"* "$work/baseline.sqlite"*
"$churn" serve --port $ours_port --store "$work/store.sqlite" --log-level warning 2>"$work/serve.log" & pids+=($!)
wait_up http://127.0.0.1:$ours_port/health
if [[ -n $baseline ]]; then
  "$baseline" serve --port $base_port --store "$work/baseline.sqlite" --log-level warning 2>"$work/baseline.log" & pids+=($!)
  wait_up http://127.0.0.1:$base_port/health
fi
if [[ $with_peer == 1 ]]; then
  (cd "$peers" && PEER_MODEL=$work/peer.pkl exec "$venv/bin/uvicorn" api:app --host 127.0.0.1 --port $peer_port --workers 2 --log-level warning) 2>"$work/peer.log" & pids+=($!)
  wait_up http://127.0.0.1:$peer_port/health
fi

# One wrk run; prints its summary lines and appends "req/s p99-ms" to $work/<name>.runs.
run() {
  local port=$1 name=$2 out
  out=$(wrk -t2 -c32 -d15s --latency -s "$peers/predict.lua" "http://127.0.0.1:$port/predict")
  grep -E "Requests/sec|99%|50%|Non-2xx|Socket errors" <<<"$out" || true
  awk '/Requests\/sec/ {rps = $2}
       / 99%/ {v = $2; if (v ~ /us$/) ms = v / 1000; else if (v ~ /ms$/) ms = v + 0; else ms = v * 1000}
       END {print rps, ms}' <<<"$out" >> "$work/$name.runs"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
: > "$work/ours.runs"; : > "$work/baseline.runs"
for ((r = 1; r <= ROUNDS; r++)); do
  if [[ -n $baseline ]]; then echo "== round $r: baseline churn serve ($baseline)"; run $base_port baseline; fi
  echo "== round $r: churn serve"; run $ours_port ours
  if [[ $with_peer == 1 ]]; then echo "== round $r: peer api.py (2 workers)"; run $peer_port peer; fi
done
if [[ -n $baseline ]]; then
  or=$(cut -d' ' -f1 "$work/ours.runs" | median); op=$(cut -d' ' -f2 "$work/ours.runs" | median)
  br=$(cut -d' ' -f1 "$work/baseline.runs" | median); bp=$(cut -d' ' -f2 "$work/baseline.runs" | median)
  echo "== medians over $ROUNDS rounds: baseline $br req/s, p99 $bp ms; ours $or req/s, p99 $op ms"
  echo "== ratio ours/baseline: req/s $(awk -v a="$or" -v b="$br" 'BEGIN {printf "%.3f", a/b}'), p99 $(awk -v a="$op" -v b="$bp" 'BEGIN {printf "%.3f", a/b}')"
fi
echo "== store after the runs (metrics were recorded and flushed):"
sqlite3 "$work/store.sqlite" "select sum(requests), sum(predictions) from intervals;"
curl -s http://127.0.0.1:$ours_port/metrics | grep -E '^http_requests_total\{method="POST",(model_version="[^"]*",)?path="/predict"'
