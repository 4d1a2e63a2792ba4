#!/usr/bin/env bash
# Integration test of the fleet view (docs/fleet.md): a real Prometheus on loopback, scraping every second two
# real `churn serve` replicas that sit behind nginx (infrastructure/nginx/nginx.conf, as production, with only
# its environment lines replaced). Load is driven at both replicas directly, with different rates and different
# customers (replica B's drifted), and through nginx; then `churn snapshot --prometheus --json` must agree with
# the replicas' own GET /api/v1/stats and /metrics (see fleet_compare.py for each comparison and its tolerance).
# Also: the console on a Prometheus source in tmux (Fleet panel, STALE with the error when Prometheus dies), and
# the CLI's errors for a wrong selector and an unreachable Prometheus. About 2 minutes.
#
# Environment: CHURN (binary, default .build/debug/churn), FLEET_LOAD_SECONDS (default 75).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
CHURN=${CHURN:-$ROOT/.build/debug/churn}
LOAD_SECONDS=${FLEET_LOAD_SECONDS:-75}
HERE=$ROOT/scripts/integration
WORK=$(mktemp -d "${TMPDIR:-/tmp}/churn-fleet.XXXXXX")
chmod 755 "$WORK"   # nginx workers run as this user and must traverse it
PIDS=()
SESSION="churn-fleet-$$"
FAILED=0
started=$SECONDS

cleanup() {
  tmux kill-session -t "$SESSION" 2>/dev/null || true
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

say() { printf '%s\n' "$*"; }
fail() { say "FAIL $*"; FAILED=$((FAILED + 1)); }
pass() { say "ok   $*"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_http() {
  local i
  for ((i = 0; i < ${2:-100}; i++)); do curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null && return 0; sleep 0.2; done
  return 1
}

for tool in prometheus nginx curl python3; do
  command -v "$tool" >/dev/null || { say "fleet.sh needs $tool (scripts/install-deps installs it)"; exit 1; }
done
[[ -x $CHURN ]] || { say "no churn binary at $CHURN (swift build first)"; exit 1; }

# --- two replicas ------------------------------------------------------------------------------------
A=$(free_port); B=$(free_port)
for port in "$A" "$B"; do
  "$CHURN" serve --host 127.0.0.1 --port "$port" --no-store --log-level warning >>"$WORK/serve.log" 2>&1 &
  PIDS+=("$!")
done
for port in "$A" "$B"; do wait_http "http://127.0.0.1:$port/ready" || { cat "$WORK/serve.log"; exit 1; }; done
say "replicas: churn serve on 127.0.0.1:$A (A) and 127.0.0.1:$B (B)"

# --- nginx in front, as production: the real config with its environment lines replaced ---------------
NGINX=$(free_port); DEAD=$(free_port)
mkdir -p "$WORK/nginx/logs"
sed -e "s|^\( *\)listen 8080;|\1listen 127.0.0.1:$NGINX;|" \
    -e "s|^pid /tmp/nginx.pid;|pid $WORK/nginx/nginx.pid;|" \
    -e "s|_temp_path /tmp/|_temp_path $WORK/nginx/|" \
    -e "s|^\( *\)server api:8000 resolve;|\1server 127.0.0.1:$A;\n\1server 127.0.0.1:$B;|" \
    -e "s|^\( *\)server grafana:3000;|\1server 127.0.0.1:$DEAD;|" \
    -e "s|^\( *\)server mlflow:5000;|\1server 127.0.0.1:$DEAD;|" \
    infrastructure/nginx/nginx.conf >"$WORK/nginx/nginx.conf"
changed=$(diff infrastructure/nginx/nginx.conf "$WORK/nginx/nginx.conf" | grep -c '^>' || true)
[[ $changed -eq 11 ]] || { say "nginx.conf changed shape: expected 11 environment lines in the test copy, got $changed"; exit 1; }
nginx_args=(-p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/logs/error.log")
[[ $EUID -ne 0 ]] || nginx_args+=(-g "user $(id -un) $(id -gn);")
nginx "${nginx_args[@]}" -g 'daemon off;' >"$WORK/nginx/logs/stdout.log" 2>&1 &
PIDS+=("$!")
wait_http "http://127.0.0.1:$NGINX/api/ready" || { cat "$WORK/nginx/logs/"*; exit 1; }
say "nginx: 127.0.0.1:$NGINX/api/ -> both replicas (round robin)"

# --- Prometheus: the real alert rules, both replicas as targets of job churn-api, 1 s scrapes ---------
PROM=$(free_port)
mkdir -p "$WORK/prometheus"
cp infrastructure/monitoring/alerts.yml "$WORK/prometheus/"
cat >"$WORK/prometheus/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files:
  - alerts.yml
scrape_configs:
  - job_name: churn-api
    static_configs:
      - targets: ["127.0.0.1:$A", "127.0.0.1:$B"]
YAML
prometheus --config.file="$WORK/prometheus/prometheus.yml" --storage.tsdb.path="$WORK/prometheus/data" \
  --web.listen-address="127.0.0.1:$PROM" --log.level=warn >"$WORK/prometheus/log" 2>&1 &
PROM_PID=$!
PIDS+=("$PROM_PID")
PROM_URL=http://127.0.0.1:$PROM
wait_http "$PROM_URL/-/ready" 150 || { cat "$WORK/prometheus/log"; exit 1; }
for ((i = 0; i < 60; i++)); do
  up=$(curl -fsS --data-urlencode 'query=sum(up{job="churn-api"})' "$PROM_URL/api/v1/query" \
    | python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else 0)')
  [[ $up == 2 ]] && break
  sleep 0.5
done
[[ $up == 2 ]] || { say "Prometheus does not scrape both replicas (up=$up)"; exit 1; }
say "prometheus: $PROM_URL scraping both replicas every second ($((SECONDS - started))s)"

# --- load: different rates and customers per replica, and some through nginx ---------------------------
"$CHURN" generate --rows 3000 --unlabelled --seed 101 -o "$WORK/calm-a.csv"
"$CHURN" generate --rows 3000 --unlabelled --seed 102 --drift 1 --id-prefix B- -o "$WORK/drift-b.csv"
"$CHURN" generate --rows 1000 --unlabelled --seed 103 --id-prefix N- -o "$WORK/calm-n.csv"
"$CHURN" generate --rows 1000 --unlabelled --seed 104 --drift 1 --id-prefix M- -o "$WORK/drift-n.csv"
python3 "$HERE/fleet_load.py" "http://127.0.0.1:$A" 12 "$LOAD_SECONDS" "$WORK/accepted-a" "$WORK/calm-a.csv" >"$WORK/load-a.out" &
LOADS=("$!")
python3 "$HERE/fleet_load.py" "http://127.0.0.1:$B" 20 "$LOAD_SECONDS" "$WORK/accepted-b" "$WORK/drift-b.csv" >"$WORK/load-b.out" &
LOADS+=("$!")
python3 "$HERE/fleet_load.py" "http://127.0.0.1:$NGINX/api" 10 "$LOAD_SECONDS" "$WORK/accepted-n" "$WORK/calm-n.csv" \
  "$WORK/drift-n.csv" >"$WORK/load-n.out" &
LOADS+=("$!")
PIDS+=("${LOADS[@]}")
say "load: A 12/s (training-like), B 20/s (drifted), nginx 10/s (both kinds) for ${LOAD_SECONDS}s; every 40th request invalid"

# Rates while the load is steady, with full 1-minute windows.
sleep $((LOAD_SECONDS - 8))
"$CHURN" snapshot --prometheus "$PROM_URL" --json >"$WORK/rate-snapshot.json"
curl -fsS "http://127.0.0.1:$A/api/v1/stats" >"$WORK/rate-stats-a.json"
curl -fsS "http://127.0.0.1:$B/api/v1/stats" >"$WORK/rate-stats-b.json"
say "compare during load:"
python3 "$HERE/fleet_compare.py" rates "$WORK/rate-snapshot.json" "$WORK/rate-stats-a.json" "$WORK/rate-stats-b.json" \
  || FAILED=$((FAILED + 1))

for p in "${LOADS[@]}"; do wait "$p"; done
cat "$WORK"/load-*.out

# After the load: wait until Prometheus has scraped the final counters (predictions only move with load).
for ((i = 0; i < 40; i++)); do
  sleep 0.5
  want=$(for port in "$A" "$B"; do curl -fsS "http://127.0.0.1:$port/api/v1/stats"; echo; done \
    | python3 -c 'import json,sys; print(sum(json.loads(l)["totals"]["predictions"] for l in sys.stdin if l.strip()))')
  got=$(curl -fsS --data-urlencode 'query=sum(predictions_total{job="churn-api"})' "$PROM_URL/api/v1/query" \
    | python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(int(float(r[0]["value"][1])) if r else -1)')
  [[ $want == "$got" ]] && break
done
"$CHURN" snapshot --prometheus "$PROM_URL" --json >"$WORK/snapshot.json"
for x in a:$A b:$B; do
  curl -fsS "http://127.0.0.1:${x#*:}/api/v1/stats" >"$WORK/stats-${x%%:*}.json"
  curl -fsS "http://127.0.0.1:${x#*:}/metrics" >"$WORK/metrics-${x%%:*}.txt"
done
# The union of every customer the fleet scored, scored again in one batch: its drift is the expected fleet drift.
{ head -1 "$WORK/calm-a.csv"; cat "$WORK"/accepted-*; } >"$WORK/union.csv"
"$CHURN" score "$WORK/union.csv" -o "$WORK/union.scored.csv" --summary-json "$WORK/union.json" --quiet
say "compare after load ($(($(wc -l <"$WORK/union.csv") - 1)) customers accepted):"
python3 "$HERE/fleet_compare.py" final "$WORK/snapshot.json" "$WORK/stats-a.json" "$WORK/stats-b.json" \
  "$WORK/metrics-a.txt" "$WORK/metrics-b.txt" "$WORK/union.json" Sources/ChurnModel/Resources/default-model.json \
  || FAILED=$((FAILED + 1))
# Read whole, then cut: `| head` would close the pipe early, and under pipefail a SIGPIPE ends the script.
fleet_panel=$("$CHURN" snapshot --prometheus "$PROM_URL" --panel fleet --width 100 --height 20)
head -7 <<<"$fleet_panel" | sed 's/^/    /'

# --- a time range through query_range: 1h at 20 s, with the traffic, the high-risk share and drift per step ----
"$CHURN" snapshot --prometheus "$PROM_URL" --range 1h --json >"$WORK/range.json" || true
if python3 - "$WORK/range.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
h = s["history"]
ok = h.get("range") == "1h" and h["step"] == 20 and len(h["requestRate"]) == 180 and len(h["driftScore"]) == 180
ok = ok and sum(h["requestRate"]) > 0 and any(v is not None for v in h.get("highRiskShare") or [])
ok = ok and not any("history unavailable" in w for w in s.get("warnings") or [])
sys.exit(0 if ok else 1)
PY
then pass "--range 1h: query_range at 20 s carries the traffic, the high-risk share and drift per step"
else fail "--range 1h history: $(head -c 600 "$WORK/range.json")"; fi

# --- errors: a selector matching nothing, a selector that does not parse --------------------------------
set +e
out=$("$CHURN" snapshot --prometheus "$PROM_URL" --selector 'job="no-such-job"' 2>&1); rc=$?
set -e
if [[ $rc -eq 1 && $out == *'no target matching {job="no-such-job"}'* ]]; then pass "a selector that matches nothing: exit 1, says so"
else fail "selector matching nothing: rc=$rc $out"; fi
set +e
out=$("$CHURN" snapshot --prometheus "$PROM_URL" --selector 'job=churn-api' 2>&1); rc=$?
set -e
if [[ $rc -eq 64 && $out == *"double quotes"* ]]; then pass "a selector that does not parse: usage error 64"
else fail "bad selector: rc=$rc $out"; fi

# --- the console on the fleet, then Prometheus dies ----------------------------------------------------
if command -v tmux >/dev/null; then
  screen() { tmux capture-pane -p -t "$SESSION"; }
  wait_for() { local i; for ((i = 0; i < ${2:-10} * 10; i++)); do grep -qF -- "$1" <<<"$(screen)" && return 0; sleep 0.1; done; return 1; }
  tmux new-session -d -s "$SESSION" -x 100 -y 30 \
    "cd '$WORK' && LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color '$CHURN' dashboard --prometheus '$PROM_URL' --dir '$WORK'; echo \$? > '$WORK/exit'; sleep 60"
  if wait_for "LIVE" 15 && grep -qF "6 Fleet" <<<"$(screen)"; then pass "console on --prometheus comes up live with a Fleet tab"
  else fail "console did not come up live"; screen; fi
  tmux send-keys -t "$SESSION" 6
  if wait_for "127.0.0.1:$A" 5 && grep -qF "127.0.0.1:$B" <<<"$(screen)" && grep -qF "2 of 2 up" <<<"$(screen)"; then pass "6 lists both replicas, 2 of 2 up"
  else fail "Fleet panel"; screen; fi
  kill "$PROM_PID"; wait "$PROM_PID" 2>/dev/null || true
  if wait_for "STALE since" 20 && grep -qF "cannot reach Prometheus" <<<"$(screen)"; then pass "Prometheus gone: STALE since, and why"
  else fail "no STALE mark with the error after Prometheus died"; screen; fi
  tmux send-keys -t "$SESSION" q
  for ((i = 0; i < 50; i++)); do [[ -e $WORK/exit ]] && break; sleep 0.1; done
  if [[ $(cat "$WORK/exit" 2>/dev/null) == 0 ]]; then pass "q exits 0"; else fail "console exit status $(cat "$WORK/exit" 2>/dev/null)"; fi
else
  kill "$PROM_PID"; wait "$PROM_PID" 2>/dev/null || true
  say "skip console checks: no tmux"
fi
set +e
out=$("$CHURN" snapshot --prometheus "$PROM_URL" --timeout 2s 2>&1); rc=$?
set -e
if [[ $rc -eq 1 && $out == *"cannot reach Prometheus at $PROM_URL"* ]]; then pass "unreachable Prometheus: exit 1, 'cannot reach Prometheus at $PROM_URL'"
else fail "unreachable Prometheus: rc=$rc $out"; fi

say "fleet.sh: $FAILED failed ($((SECONDS - started))s)"
[[ $FAILED -eq 0 ]]
