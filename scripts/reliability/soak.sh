#!/usr/bin/env bash
# Load and soak: wrk at 64 connections against a release `churn serve` with metrics and the SQLite store on
# (flushing every 5 s), POST /predict with a new customer id per request. Resident memory is sampled from /proc
# every 2 s; growth compares the peak of the minute after the warm-up with the peak of the load's last minute
# (memory saws with each flush, so single samples mislead; samples during the shutdown's final flush are left out).
#
#   scripts/reliability/soak.sh [SECONDS] [WARMUP_SECONDS]     (default 300 and 60)
#
# Passes (exit 0) when wrk saw no error of any kind (connect, read, write, timeout, non-2xx) and RSS grew less
# than 10% after warm-up. Prints the figures docs/reliability.md records. Not part of scripts/test (too long).
source "$(dirname "$0")/lib.sh"
seconds=${1:-300}
warmup=${2:-60}
port=$(free_port)
store=$work/soak.sqlite
start_serve "$port" "$work/serve.log" --store "$store" --flush-interval 5
sample_rss "$serve_pid" 2 "$work/rss.txt" &
started+=($!)

echo "soak: churn serve pid $serve_pid on :$port, store $store, ${seconds} s at 64 connections (warm-up ${warmup} s)"
wrk -t2 -c64 -d"${seconds}s" --timeout 5s --latency -s "$root/scripts/reliability/predict.lua" \
  "http://127.0.0.1:$port/predict" | tee "$work/wrk.txt"

kill -TERM "$serve_pid"
wait "$serve_pid" || true
stored=$(stored_requests "$store")
logged=$(sqlite3 "$store" "SELECT COUNT(*) FROM predictions;")
check=$(integrity "$store")

echo "soak: prediction log after the run: $logged customers (cap 2,000,000, enforced at each flush)"
python3 - "$work/rss.txt" "$warmup" "$work/wrk.txt" "$stored" "$check" "$seconds" <<'PY'
import re, sys
rss = [tuple(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
warmup = float(sys.argv[2])
wrk = open(sys.argv[3]).read()
seconds = float(sys.argv[6])
after = [kb for t, kb in rss if warmup <= t <= seconds and kb > 0]
start, end, peak = after[0], after[-1], max(after)
# Growth compares high-water marks, the peak of the first minute after warm-up with the peak of the last minute:
# resident memory saws up and down with each flush (a batch of logged customers built, written, freed and
# trimmed), so two single samples differ by where in that cycle they fall; a leak raises the peaks.
window = min(60.0, (seconds - warmup) / 2)
first = max(kb for t, kb in rss if warmup <= t < warmup + window and kb > 0)
last = max(kb for t, kb in rss if seconds - window <= t <= seconds and kb > 0)
growth = (last - first) / first * 100
m = dict(re.findall(r"(\w+)=([\d.]+)", wrk))
errors = sum(int(m[k]) for k in m if k.startswith("errors_"))
rps = re.search(r"Requests/sec:\s+([\d.]+)", wrk).group(1)
print(f"soak: {int(m['requests'])} requests, {rps} req/s, errors {errors}, p50 {m['p50_ms']} ms, p99 {m['p99_ms']} ms, "
      f"p99.9 {m['p999_ms']} ms, max {m['max_ms']} ms")
print(f"soak: RSS peak {first/1024:.1f} MiB in the {window:.0f} s after warm-up, {last/1024:.1f} MiB in the last {window:.0f} s: "
      f"growth {growth:+.1f}%; samples: at warm-up {start/1024:.1f}, at the end {end/1024:.1f}, max {peak/1024:.1f}, "
      f"first {rss[0][1]/1024:.1f} MiB")
curve, mark = [], 0.0
for t, kb in rss:
    if t >= mark and t <= float(sys.argv[6]):
        curve.append(f"{t:.0f}s {kb/1024:.0f}")
        mark += 30
print("soak: RSS (MiB) every 30 s: " + ", ".join(curve))
print(f"soak: store after SIGTERM: {sys.argv[4]} requests recorded (wrk counted {int(m['requests'])} answered), "
      f"integrity_check {sys.argv[5]}")
ok = errors == 0 and growth < 10 and sys.argv[5] == "ok"
print("soak: PASS" if ok else "soak: FAIL")
sys.exit(0 if ok else 1)
PY
