#!/usr/bin/env bash
# merge-shards.sh: joins the parts of a sharded `churn score` run (batch-job.yaml) into one file, and checks
# that nothing was lost or doubled before writing it.
#
#   merge-shards.sh OUT.csv part-0.summary.json part-1.summary.json ... part-(n-1).summary.json
#
# Each summary is the --summary-json of one shard; its output and rejects files are found by the names the
# summary records, in the summary's own folder (so a folder copied off the volume works). Checks, before
# anything is written:
#   - the summaries are shards 0..n-1 of one n, each exactly once, all scored with the same model;
#   - every shard read the same input: rows + rows left to other shards is the same for each;
#   - the shards' rows add up to that total (every input row in exactly one shard);
#   - each part holds exactly its summary's scored rows (and rejects its rejected rows) under one header,
#     and all headers are the same.
# Then OUT.csv gets the header once and the parts' rows in shard order (written to OUT.csv.tmp, then renamed),
# and OUT.rejects.csv the same for the rejected rows. Exit status 0 merged, 1 a check failed (nothing written),
# 64 bad usage. Needs only bash, awk and coreutils.
set -euo pipefail

usage() { echo "usage: merge-shards.sh OUT.csv SHARD.summary.json..." >&2; exit 64; }
die() { echo "merge-shards: $*" >&2; exit 1; }
(($# >= 2)) || usage
out=$1; shift
[[ $out == *.csv ]] || die "OUT must end in .csv (got $out); the rejects go next to it as ${out%.*}.rejects.csv"
rejects_out=${out%.csv}.rejects.csv

# field FILE KEY: a top-level field of churn's pretty-printed summary JSON (two-space indent), unquoted.
field() {
    awk -v key="\"$2\"" '
        substr($0, 1, 3) == "  \"" && $1 == key { v = $0; sub(/^[^:]*: */, "", v); sub(/,$/, "", v); gsub(/^"|"$/, "", v); gsub(/\\\//, "/", v); print v; exit }
    ' "$1"
}

# Data lines of a CSV part (all lines but the header). Outputs never contain newlines inside fields:
# ids are trimmed single-line fields and the scores are numbers.
data_lines() { local n; n=$(wc -l <"$1"); echo $((n > 0 ? n - 1 : 0)); }

declare -A seen=()
parts=() rejects=() n="" model="" total="" sum=0 scored_sum=0 rejected_sum=0 header="" rheader=""
for summary in "$@"; do
    [[ -f $summary ]] || die "$summary: no such file"
    dir=$(dirname "$summary")
    shard=$(field "$summary" shard)
    [[ $shard =~ ^([0-9]+)/([0-9]+)$ ]] || die "$summary is not the summary of a sharded run (no \"shard\": \"i/n\")"
    i=${BASH_REMATCH[1]}; count=${BASH_REMATCH[2]}
    [[ -z $n || $n == "$count" ]] || die "$summary is shard $shard, the others are of $n shards"
    n=$count
    [[ -z ${seen[$i]:-} ]] || die "shard $i given twice (${seen[$i]} and $summary)"
    seen[$i]=$summary
    m=$(field "$summary" modelVersion)
    [[ -z $model || $model == "$m" ]] || die "$summary was scored with $m, the others with $model"
    model=$m
    [[ $(field "$summary" format) == csv ]] || die "$summary: only csv output can be merged (use --format csv)"
    rows=$(field "$summary" rows); other=$(field "$summary" otherShards)
    scored=$(field "$summary" scored); rejected=$(field "$summary" rejected)
    [[ -z $total || $total == $((rows + other)) ]] \
        || die "$summary: shard $i saw $((rows + other)) input rows, the others $total (not the same input file?)"
    total=$((rows + other))
    sum=$((sum + rows)); scored_sum=$((scored_sum + scored)); rejected_sum=$((rejected_sum + rejected))
    part=$dir/$(basename "$(field "$summary" output)")
    [[ -f $part ]] || die "$summary: its output $part is missing"
    [[ $(data_lines "$part") -eq $scored ]] || die "$part has $(data_lines "$part") rows, its summary says $scored scored"
    h=$(head -1 "$part")
    [[ -z $header || $header == "$h" ]] || die "$part has another header than the other parts"
    header=$h
    parts[i]=$part; rejects[i]=""
    # A shard that rejected nothing writes no rejects file ("rejectsPath": null).
    rp=$(field "$summary" rejectsPath)
    if [[ $rp == null || -z $rp ]]; then
        ((rejected == 0)) || die "$summary: $rejected rows rejected but no rejects file named"
    else
        rpart=$dir/$(basename "$rp")
        [[ -f $rpart ]] || die "$summary: its rejects file $rpart is missing"
        [[ $(data_lines "$rpart") -ge $rejected ]] || die "$rpart has fewer rows than the $rejected its summary rejected"
        rh=$(head -1 "$rpart")
        [[ -z $rheader || $rheader == "$rh" ]] || die "$rpart has another header than the other parts"
        rheader=$rh; rejects[i]=$rpart
    fi
done
for ((i = 0; i < n; i++)); do [[ -n ${seen[$i]:-} ]] || die "shard $i of $n is missing"; done
((${#seen[@]} == n)) || die "expected $n summaries, got ${#seen[@]}"
((sum == total)) || die "the shards hold $sum rows, the input had $total: rows were lost or doubled"

{ printf '%s\n' "$header"; for ((i = 0; i < n; i++)); do tail -n +2 "${parts[i]}"; done; } >"$out.tmp"
rheader=${rheader:-line,column,field,code,reason,record}
{ printf '%s\n' "$rheader"; for ((i = 0; i < n; i++)); do [[ -z ${rejects[i]} ]] || tail -n +2 "${rejects[i]}"; done; } >"$rejects_out.tmp"
[[ $(data_lines "$out.tmp") -eq $scored_sum ]] || { rm -f "$out.tmp" "$rejects_out.tmp"; die "merged file does not hold $scored_sum rows"; }
mv "$out.tmp" "$out"
mv "$rejects_out.tmp" "$rejects_out"
echo "merge-shards: $n shards of $total rows: $scored_sum scored -> $out, $rejected_sum rejected -> $rejects_out (model $model)"
