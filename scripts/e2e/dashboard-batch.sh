#!/usr/bin/env bash
# End to end: score a customer file from the console's Batch panel. Browses into a directory, checks the
# header, scores in the background, then finds the output file on disk and the results table on screen.
# Also: a file without the model's columns is refused with the reason, and nothing is written for it.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/e2e/lib.sh

FIX=Tests/ChurnDashboardTests/Fixtures
mkdir -p "$E2E_TMP/files/incoming"
cp "$FIX/customers.csv" "$E2E_TMP/files/incoming/customers.csv"
printf 'id,value\n1,2\n' > "$E2E_TMP/files/incoming/broken.csv"
PORT=$(free_port)
start_serve "$PORT"

start_console 80 24 dashboard --api "http://127.0.0.1:$PORT" --dir "$E2E_TMP/files" --model "$FIX/model.json"
check "console comes up" wait_for "[1 Overview]" 15
keys 5
check "the browser lists the root" wait_for "incoming/" 10
keys Enter
check "Enter opens the directory" wait_for "in /incoming" 10
check "CSV files are listed" on_screen "customers.csv"

# Entries: ../, broken.csv, customers.csv (alphabetical).
keys j Enter
check "a file without the model's columns is refused with the reason" wait_for "header lacks" 10
keys Escape
check "Esc returns to the browser" wait_for "in /incoming" 10
keys G Enter
check "the header check passes" wait_for "header ok, 21 columns" 10
check "the output path is shown before scoring" on_screen "customers.scored.csv"
keys Enter
check "results appear" wait_for "Highest-risk customers" 20
check "the results count every row" on_screen "rows 300"
check "the table shows probabilities" on_screen "probability"
check "the output file exists with every row" test "$(wc -l < "$E2E_TMP/files/incoming/customers.scored.csv")" -eq 301
check "nothing was written for the refused file" test ! -e "$E2E_TMP/files/incoming/broken.scored.csv"
keys s
check "s sorts by customer id" wait_for "sorted by id" 10
keys 1
check "the monitoring panels stayed live" wait_for "LIVE" 10
keys q
for _ in $(seq 50); do [[ -e "$E2E_TMP/exit" ]] && break; sleep 0.1; done
check "q exits with status 0" test "$(cat "$E2E_TMP/exit" 2>/dev/null)" = 0
finish
