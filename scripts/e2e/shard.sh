#!/usr/bin/env bash
# End to end: sharded batch scoring with the real binary. A generated file of 50,000 customers (plus rows with
# a blank id, a padded id, a duplicate id and a bad value) is scored once whole and once as 4 shards, the way
# infrastructure/kubernetes/batch-job.yaml runs it; merge-shards.sh joins the parts. The union of the shards
# must equal the unsharded output row for row (none missing, none twice), every row must sit in the shard
# the documented hash gives (FNV-1a 64 of the trimmed id bytes mod n), and the merge must
# refuse incomplete or doubled sets of parts.
set -euo pipefail
cd "$(dirname "$0")/../.."
CHURN=${CHURN:-$PWD/.build/debug/churn}
MERGE=$PWD/infrastructure/kubernetes/merge-shards.sh
N=4
WORK=$(mktemp -d "${TMPDIR:-/tmp}/churn-shard.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
PASSES=0 FAILURES=0
check() {
  local name=$1; shift
  if "$@"; then PASSES=$((PASSES + 1)); echo "ok   $name"; else FAILURES=$((FAILURES + 1)); echo "FAIL $name"; fi
}

cd "$WORK"
"$CHURN" generate --rows 50000 --unlabelled --seed 7 -o in.csv
# Quirks: an empty id (hashed as the empty string; the shard that owns it rejects the row, as unsharded
# scoring does), an id with spaces around it (hashed trimmed), a customer twice, an unscorable row.
row=$(sed -n 2p in.csv); rest=${row#*,}; id=${row%%,*}
{
  printf ',%s\n' "$rest"
  printf '"  PAD-0001  ",%s\n' "$rest"
  printf '%s,%s\n' "$id" "$rest"
  # MonthlyCharges that is not a number: rejected (an unseen category would be scored as unseen).
  printf 'BAD-0001,%s\n' "$rest" | awk -F, -v OFS=, '{ $19 = "twelve"; print }'
} >>in.csv
rows=$(($(wc -l <in.csv) - 1))

"$CHURN" score in.csv -o full.csv --rejects full.rejects.csv --summary-json full.json --quiet --force
for ((i = 0; i < N; i++)); do
  # The Job's arguments, with /data/output replaced by this folder.
  "$CHURN" score in.csv --shard="$i/$N" --output="part-$i.csv" --rejects="part-$i.rejects.csv" \
    --summary-json="part-$i.summary.json" --force --quiet &
done
wait
"$MERGE" merged.csv part-*.summary.json

scored=$(($(wc -l <full.csv) - 1))
check "the input has $rows rows; unsharded scored $scored" test "$rows" -gt 50000
check "merged file has the unsharded header" test "$(head -1 merged.csv)" = "$(head -1 full.csv)"
check "merged rows = unsharded rows, row for row (sorted)" \
  cmp -s <(tail -n +2 full.csv | sort) <(tail -n +2 merged.csv | sort)
check "no row twice across shards (beyond the customer that is in the input twice)" \
  test "$(tail -n +2 merged.csv | cut -d, -f1 | sort | uniq -d)" = "$id"
check "rejects: same rows as unsharded" cmp -s <(tail -n +2 full.rejects.csv | sort) <(tail -n +2 merged.rejects.csv | sort)
check "the unscorable row was rejected once" test "$(grep -c BAD-0001 merged.rejects.csv)" = 1
empty_shard=$(python3 -c 'print(0xcbf29ce484222325 % '"$N"')')   # FNV-1a of no bytes is the offset basis
check "the id-less row was rejected once, by the shard of the empty id ($empty_shard)" \
  test "$(grep -l missing_id part-*.rejects.csv)" = "part-$empty_shard.rejects.csv"
# Shard sizes are close to even (the hash spreads ids).
sizes=$(for ((i = 0; i < N; i++)); do echo $(($(wc -l <"part-$i.csv") - 1)); done | paste -sd' ')
echo "     shard sizes: $sizes (of $scored)"
check "every shard holds 20-30% of the rows" \
  awk -v s="$sizes" -v t="$scored" 'BEGIN { n = split(s, a, " "); for (i = 1; i <= n; i++) if (a[i] < 0.2 * t || a[i] > 0.3 * t) exit 1 }'

# The documented hash, computed independently: every row is in the shard FNV-1a 64 (trimmed id) mod n says.
check "each row is in the shard the documented hash gives" python3 - "$N" <<'PY'
import csv, sys
n = int(sys.argv[1])
def shard(id_text):
    b = id_text.strip(" \t").encode()
    h = 0xcbf29ce484222325
    for x in b:
        h = ((h ^ x) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h % n
bad = 0
with open("in.csv", newline="") as f:
    want = {}
    for r in csv.DictReader(f):
        want.setdefault(r["customerID"].strip(" \t"), shard(r["customerID"]))
for i in range(n):
    with open(f"part-{i}.csv", newline="") as f:
        for r in csv.DictReader(f):
            if want[r["customerID"]] != i:
                bad += 1
                if bad < 5:
                    print(f"     {r['customerID']!r} in shard {i}, hash says {want[r['customerID']]}")
checked = sum(1 for i in range(n) for _ in csv.DictReader(open(f"part-{i}.csv", newline="")))
print(f"     {checked} rows checked against the hash, {bad} misplaced; the padded id hashes to shard {shard('  PAD-0001  ')}")
sys.exit(1 if bad else 0)
PY

# The merge refuses sets it cannot vouch for.
refuses() {
  local why=$1; shift
  local out; out=$("$MERGE" bad.csv "$@" 2>&1) && return 1
  [[ $out == *"$why"* && ! -e bad.csv ]] || { echo "     $out"; return 1; }
}
check "merge refuses a missing shard" refuses "shard 3 of 4 is missing" part-0.summary.json part-1.summary.json part-2.summary.json
check "merge refuses a shard given twice" refuses "given twice" part-0.summary.json part-0.summary.json part-1.summary.json \
  part-2.summary.json part-3.summary.json
cp part-1.csv part-1.full && head -n -5 part-1.full >part-1.csv
check "merge refuses a part that lost rows" refuses "its summary says" part-*.summary.json
mv part-1.full part-1.csv
"$CHURN" generate --rows 100 --unlabelled --seed 9 -o other.csv
"$CHURN" score other.csv --shard=3/4 --output=other-3.csv --summary-json=other-3.summary.json --force --quiet
check "merge refuses parts of another input" refuses "not the same input file" part-0.summary.json part-1.summary.json \
  part-2.summary.json other-3.summary.json

echo "$(basename "$0"): $PASSES passed, $FAILURES failed"
[[ $FAILURES -eq 0 ]]
