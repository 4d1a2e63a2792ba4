#!/usr/bin/env bash
# kill -9 of `churn score` in the middle of a file: no OUT (or rejects) file appears, only the hidden temporary
# files; the next run removes those, and its output is complete (rows = scored + rejected).
#
#   scripts/reliability/crash-score.sh [ROWS]     (default 3,000,000 customers, a few seconds of scoring)
source "$(dirname "$0")/lib.sh"
rows=${1:-3000000}
in=$work/customers.csv
out=$work/scored.csv
rejects=$work/rejects.csv
[[ -f $in ]] || "$churn" generate --rows "$rows" --seed 7 --unlabelled -o "$in" --force >/dev/null 2>&1
rm -f "$out" "$rejects" "$work"/.scored.csv.tmp-* "$work"/.rejects.csv.tmp-*
"$churn" score "$in" -o "$out" --rejects "$rejects" >/dev/null 2>"$work/score.log" &
pid=$!
started+=("$pid")
# Wait until the temporary output exists and has grown, then kill.
for _ in $(seq 200); do
  tmp=$(ls "$work"/.scored.csv.tmp-* 2>/dev/null | head -1 || true)
  [[ -n $tmp ]] && (($(stat -c %s "$tmp") > 1000000)) && break
  sleep 0.05
done
size=$(stat -c %s "$tmp" 2>/dev/null || echo 0)
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
left=$(cd "$work" && ls -A | grep -v '^customers.csv$' | grep -v '\.log$' | tr '\n' ' ')
failed=0
if [[ -e $out || -e $rejects ]]; then
  echo "crash-score: FAIL: an output file exists after kill -9: $left"
  failed=1
else
  echo "crash-score: killed mid-file (temporary output at $size bytes): no OUT file; left behind: $left"
fi
"$churn" score "$in" -o "$out" --rejects "$rejects" >"$work/summary.txt" 2>&1 || { echo "crash-score: FAIL: the next run failed"; cat "$work/summary.txt"; exit 1; }
stale=$(cd "$work" && ls -A | grep '\.tmp-' | tr '\n' ' ' || true)
scored=$(($(wc -l <"$out") - 1))
rejected=$(($(wc -l <"$rejects") - 1))
data=$(($(wc -l <"$in") - 1))
if [[ -n $stale ]]; then echo "crash-score: FAIL: temporary files left after the next run: $stale"; failed=1; fi
if ((scored + rejected != data)); then echo "crash-score: FAIL: $data rows but $scored scored + $rejected rejected"; failed=1; fi
echo "crash-score: the next run removed the temporary files and wrote $scored scored + $rejected rejected = $data rows"
exit $failed
