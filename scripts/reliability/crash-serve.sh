#!/usr/bin/env bash
# kill -9 of `churn serve` under load, then restart on the same store, ROUNDS times. Each round checks:
#   - the store opens after the kill (sqlite3 reads it, recovering the WAL) and PRAGMA integrity_check says ok;
#   - the restarted server opens it too and answers /ready with 200;
#   - at most one flush interval of metrics is lost: requests answered (wrk's count, plus the one /health that
#     start-up waits for) minus requests in the store, divided by the request rate, is at most the flush interval
#     plus 0.5 s (a flush is durable when its transaction commits, a fraction of a second after it starts).
#
#   scripts/reliability/crash-serve.sh [ROUNDS] [FLUSH_SECONDS]     (default 3 rounds, 2 s flushes)
source "$(dirname "$0")/lib.sh"
rounds=${1:-3}
flush=${2:-2}
port=$(free_port)
store=$work/crash.sqlite
failed=0
before=0
for ((r = 1; r <= rounds; r++)); do
  start_serve "$port" "$work/serve.log" --store "$store" --flush-interval "$flush"
  # Load for 6-9 s (random), so the kill lands anywhere in a flush cycle; wrk runs on and sees the server die.
  load_s=$((6 + RANDOM % 4))
  wrk -t2 -c32 -d$((load_s + 2))s --timeout 2s -s "$root/scripts/reliability/predict.lua" "http://127.0.0.1:$port/predict" \
    >"$work/wrk-$r.txt" 2>&1 &
  wrk_pid=$!
  started+=("$wrk_pid")
  sleep "$load_s"
  kill -9 "$serve_pid"
  wait "$serve_pid" 2>/dev/null || true
  wait "$wrk_pid" || true
  answered=$(sed -n 's/^requests=\([0-9]*\).*/\1/p' "$work/wrk-$r.txt")
  stored=$(stored_requests "$store")
  check=$(integrity "$store")
  # Restart on the same store; then a clean stop, whose final flush adds the restart's own /health and /ready.
  start_serve "$port" "$work/serve.log" --store "$store" --flush-interval "$flush"
  ready=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/ready")
  kill -TERM "$serve_pid"
  wait "$serve_pid" || true
  after=$(stored_requests "$store")
  python3 - "$r" "$load_s" "$answered" "$before" "$stored" "$flush" "$check" "$ready" <<'PY' || failed=1
import sys
r, load_s, answered, before, stored, flush, check, ready = sys.argv[1:]
load_s, answered, before, stored, flush = float(load_s), int(answered), int(before), int(stored), float(flush)
rate = answered / load_s
lost = before + 1 + answered - stored
lost_s = lost / rate
# A flush is durable when its transaction commits: a kill during the write loses the interval plus the write.
ok = check == "ok" and ready == "200" and lost_s <= flush + 0.5
print(f"crash-serve round {r}: killed after {load_s:.0f} s at {rate:.0f} req/s; answered {answered}, stored {stored - before - 1}, "
      f"lost {lost} = {lost_s:.2f} s of traffic (flush interval {flush:g} s); integrity_check {check}; restart /ready {ready}: "
      + ("ok" if ok else "FAIL"))
sys.exit(0 if ok else 1)
PY
  before=$after
done
exit $failed
