"""Writes N customers drawn with replacement (seed 1) from a Telco-schema CSV, each with a fresh unique id.

    python3 scripts/bench/resample.py IN.csv OUT.csv [ROWS]      (default 1,000,000)

The benchmarks use it to make large files that keep the real data's joint distribution.
"""
import csv
import random
import sys

random.seed(1)
rows_wanted = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
with open(sys.argv[1], newline="", encoding="utf-8-sig") as f:
    rows = list(csv.reader(f))
header, body = rows[0], rows[1:]
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(header)
    for i in range(rows_wanted):
        r = list(random.choice(body))
        r[0] = f"{i:07d}-{r[0][5:]}"
        w.writerow(r)
