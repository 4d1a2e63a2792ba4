#!/usr/bin/env python3
"""Load for the fleet integration test: posts customers from CSV files to one URL at a steady rate.

Usage: fleet_load.py URL RATE SECONDS ACCEPTED_LOG CSV [CSV...]

Rows are taken from the CSV files in turn (file 1 row 1, file 2 row 1, ...) and cycled, one POST /predict each,
over one keep-alive connection, paced to RATE requests per second for SECONDS. Every 40th request leaves out
the tenure field (answered 422, counted as a request, not a prediction). The raw CSV line of every customer
the server scored (HTTP 200) is appended to ACCEPTED_LOG, so the test can score the union of what the fleet
saw with `churn score` and compare drift. Prints one line: sent, scored, rejected, failed.
"""
import csv
import http.client
import json
import sys
import time
import urllib.parse


def rows(path):
    with open(path, newline="") as f:
        lines = f.read().splitlines()
    header = next(csv.reader([lines[0]]))
    out = []
    for line in lines[1:]:
        if line:
            out.append((line, dict(zip(header, next(csv.reader([line]))))))
    return out


def main():
    url, rate, seconds, log_path = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    files = [rows(p) for p in sys.argv[5:]]
    mixed = [r for group in zip(*files) for r in group] if len(files) > 1 else files[0]
    parsed = urllib.parse.urlsplit(url)
    path = parsed.path.rstrip("/") + "/predict"
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=5)
    sent = scored = rejected = failed = 0
    start = time.monotonic()
    with open(log_path, "a") as log:
        while True:
            due = start + sent / rate
            now = time.monotonic()
            if now - start >= seconds:
                break
            if due > now:
                time.sleep(due - now)
            line, customer = mixed[sent % len(mixed)]
            body = dict(customer)
            body.pop("Churn", None)
            if sent % 40 == 39:
                body.pop("tenure", None)
            sent += 1
            try:
                conn.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
                resp = conn.getresponse()
                resp.read()
            except (OSError, http.client.HTTPException):
                failed += 1
                conn.close()
                conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=5)
                continue
            if resp.status == 200:
                scored += 1
                log.write(line + "\n")
            elif resp.status == 422:
                rejected += 1
            else:
                failed += 1
    print(f"{url}: sent {sent}, scored {scored}, rejected {rejected}, other {failed} in {time.monotonic() - start:.1f}s")


if __name__ == "__main__":
    main()
