#!/usr/bin/env python3
"""A stand-in for `churn serve`'s GET /api/v1/stats: serves a MonitorSnapshot whose numbers move every second.

Used by the console's end-to-end tests (scripts/e2e/) to drive `churn dashboard --api` without the real server,
including the source dying and coming back. `--once` prints one snapshot as JSON and exits.

    fake-stats-server.py --port 18080          serve until killed
    fake-stats-server.py --once > snap.json    one snapshot
"""
import argparse
import json
import math
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

START = time.time()
FEATURES = ["tenure", "Contract", "MonthlyCharges", "TotalCharges", "InternetService", "PaymentMethod",
            "OnlineSecurity", "TechSupport", "PaperlessBilling", "SeniorCitizen", "Partner", "Dependents",
            "PhoneService", "MultipleLines", "OnlineBackup", "DeviceProtection", "StreamingTV", "StreamingMovies",
            "gender"]


def iso(t):
    return datetime.fromtimestamp(int(t), timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def snapshot(now):
    up = now - START
    k = int(up)
    rate = 20 + 8 * math.sin(up / 20)
    p95, p99 = 0.012 + 0.004 * math.sin(up / 7), 0.030 + 0.01 * math.sin(up / 5)
    err = 0.004 + 0.003 * (1 + math.sin(up / 11))
    total = 5000 + int(up * rate)
    high, medium = total // 7, total // 4
    psi = [round(max(0.0, 0.02 + 0.35 * math.sin(i * 1.7 + up / 60) ** 2 * (1 if i < 3 else 0.2)), 4) for i in range(len(FEATURES))]
    drifted = sum(1 for p in psi if p >= 0.25)
    score = drifted / len(psi)
    f1 = 0.62 + 0.05 * math.sin(up / 30)

    def window(sec, scale):
        req = int(rate * sec * scale)
        return {"seconds": sec, "requests": req, "requestRate": round(rate * scale, 3), "errors": int(req * err),
                "errorRate": round(err, 5), "p50": 0.004, "p95": round(p95, 5), "p99": round(p99, 5),
                "predictions": int(req * 0.98)}

    hist = [20 + 8 * math.sin((up - 10 * (59 - i)) / 20) for i in range(60)]
    return {
        "takenAt": iso(now), "source": "fake", "uptimeSeconds": round(up, 1),
        "model": {
            "version": "gbt-20261128-3f9a1c2e", "learner": "gbt", "createdAt": iso(START - 86400),
            "riskThresholds": {"medium": 0.4, "high": 0.7}, "decisionThreshold": 0.36,
            "trainingMetrics": {"rows": 1409, "positives": 374, "auc": 0.846, "logLoss": 0.4123, "threshold": 0.36,
                                "precision": 0.551, "recall": 0.741, "f1": 0.632, "accuracy": 0.774,
                                "confusion": {"truePositives": 277, "falsePositives": 226, "trueNegatives": 809,
                                              "falseNegatives": 97}},
            "trainingRows": 5634,
            "importance": [{"column": f, "importance": round(1.0 / (i + 1), 4)} for i, f in enumerate(FEATURES)],
            "features": 45},
        "windows": [window(60, 1.0), window(300, 0.95), window(900, 0.9)],
        "totals": {"requests": total + k, "errors": int(total * err), "predictions": total,
                   "byRisk": {"low": total - high - medium, "medium": medium, "high": high}},
        "f1": {"value": round(f1, 4), "precision": 0.58, "recall": 0.7, "labelled": 1200 + k, "threshold": 0.5},
        "drift": {"score": round(score, 4), "threshold": 0.25, "alertThreshold": 0.3, "rows": 1000 + k, "minimumRows": 200,
                  "features": [{"name": f, "psi": p} for f, p in zip(FEATURES, psi)]},
        "resources": {"residentBytes": 38_000_000 + (k % 7) * 4096, "cpuSeconds": round(up * 0.01, 2)},
        "alerts": [
            {"name": "HighErrorRate", "state": "ok", "value": round(err, 5), "threshold": 0.05, "since": iso(START),
             "summary": "5xx share of requests over 5 minutes"},
            {"name": "HighLatencyP99", "state": "pending" if p99 > 0.038 else "ok", "value": round(p99, 5),
             "threshold": 0.5, "since": iso(START), "summary": "p99 latency over 5 minutes"},
            {"name": "DataDrift", "state": "firing" if score > 0.1 else "ok", "value": round(score, 4),
             "threshold": 0.3, "since": iso(START + 30), "summary": "share of features with PSI >= 0.25"},
            {"name": "ModelF1Low", "state": "ok", "value": round(f1, 4), "threshold": 0.5, "since": iso(START),
             "summary": "live F1 from feedback"},
        ],
        "alertTransitions": [
            {"name": "DataDrift", "from": "pending", "to": "firing", "at": iso(START + 30), "value": 0.16},
            {"name": "DataDrift", "from": "ok", "to": "pending", "at": iso(START + 20), "value": 0.11},
        ],
        "history": {"step": 10, "requestRate": [round(h, 3) for h in hist],
                    "p95": [round(p95, 5)] * 60, "p99": [round(0.03 + 0.01 * math.sin(i / 4), 5) for i in range(60)],
                    "errorRate": [round(err, 5)] * 60, "driftScore": [round(score * i / 59, 4) for i in range(60)]},
        "replicas": [],
    }


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.split("?")[0] != "/api/v1/stats":
            self.send_error(404)
            return
        body = json.dumps(snapshot(time.time())).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=18080)
    ap.add_argument("--once", action="store_true")
    a = ap.parse_args()
    if a.once:
        print(json.dumps(snapshot(time.time() + 300), indent=1))
        return
    ThreadingHTTPServer(("127.0.0.1", a.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
