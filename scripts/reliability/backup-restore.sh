#!/usr/bin/env bash
# Backup and restore on a live server, as docs/deployment.md's disaster recovery does it: churn serve with a
# store and a registry takes requests; `churn backup` copies both while it serves; the server is killed -9;
# store and registry are wiped; `churn restore` is refused while another server holds the store, then puts
# both back; the restarted server has the same prediction log (feedback for a customer predicted before the
# kill matches) and the same production version.
#
#   scripts/reliability/backup-restore.sh        (CHURN_BIN=.build/debug/churn to use another binary)
#
# About a minute with a debug build on a busy 2-core machine (training the model and 40 requests); run by
# scripts/test. Exits non-zero on the first difference.
source "$(dirname "$0")/lib.sh"
fail() { echo "backup-restore: FAIL: $*" >&2; exit 1; }
store=$work/state/metrics.sqlite registry=$work/state/registry backup=$work/backup

"$churn" generate --rows 400 --seed 11 -o "$work/train.csv" >/dev/null
"$churn" train "$work/train.csv" -o "$work/model.json" --learner logistic >/dev/null 2>&1
"$churn" model add "$work/model.json" --promote --registry "$registry" >/dev/null
production=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["production"])' "$registry/registry.json")

port=$(free_port)
start_serve "$port" "$work/serve.log" --store "$store" --registry "$registry" --flush-interval 0.5
for i in $(seq 1 40); do
  body=$(sed -n "$((i + 1))p" "$work/train.csv" | python3 -c '
import csv, json, sys
head = next(csv.reader(open(sys.argv[1])))
row = next(csv.reader(sys.stdin))
print(json.dumps({k: v for k, v in zip(head, row) if k != "Churn"}))' "$work/train.csv")
  code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$port/predict")
  [[ $code == 200 ]] || fail "predict $i answered $code"
done
customer=$(sed -n 8p "$work/train.csv" | cut -d, -f1)
# Wait for a flush to log all 40 (poll, not a fixed sleep).
for _ in $(seq 200); do
  [[ $(sqlite3 "$store" 'SELECT COUNT(*) FROM predictions' 2>/dev/null) == 40 ]] && break
  sleep 0.1
done
logged=$(sqlite3 "$store" 'SELECT COUNT(*) FROM predictions')
[[ $logged == 40 ]] || fail "the store logged $logged predictions, expected 40"
before=$(sqlite3 "$store" 'SELECT customer_id, probability FROM predictions ORDER BY customer_id' | sha256sum)

"$churn" backup "$backup" --store "$store" --registry "$registry" || fail "backup while serving failed"
if "$churn" restore "$backup" --store "$store" --force 2>"$work/refused.txt"; then fail "restore replaced a store a live server holds"; fi
grep -q "holds this store for writing" "$work/refused.txt" || fail "restore's refusal did not say why: $(cat "$work/refused.txt")"

kill -9 "$serve_pid"; wait "$serve_pid" 2>/dev/null || true
rm -rf "$store" "$store-wal" "$store-shm" "$registry"
"$churn" restore "$backup" --store "$store" --registry "$registry" | tee "$work/restore.txt"
grep -q "40 logged predictions" "$work/restore.txt" || fail "restore did not report the 40 logged predictions"
grep -q "production $production" "$work/restore.txt" || fail "restore did not report production $production"
[[ $(stat -c %a "$store") == 600 ]] || fail "the restored store is not owner-only ($(stat -c %a "$store"))"

port=$(free_port)
start_serve "$port" "$work/serve2.log" --store "$store" --registry "$registry" --flush-interval 0.5
served=$(curl -fsS "http://127.0.0.1:$port/model" | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')
[[ $served == "$production" ]] || fail "the restarted server serves $served, not production $production"
matched=$(curl -fsS -H 'Content-Type: application/json' -d "{\"customerID\":\"$customer\",\"churned\":true}" \
  "http://127.0.0.1:$port/feedback" | python3 -c 'import json,sys; print(json.load(sys.stdin)["matched"])')
[[ $matched == 1 ]] || fail "feedback for $customer (predicted before the kill) did not match the restored log"
after=$(sqlite3 "$store" 'SELECT customer_id, probability FROM predictions ORDER BY customer_id' | sha256sum)
[[ $before == "$after" ]] || fail "the restored prediction log differs from the one backed up"
echo "backup-restore: PASS: 40 predictions and production $production survived kill -9, wipe, restore, restart"
