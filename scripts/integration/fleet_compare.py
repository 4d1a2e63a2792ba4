#!/usr/bin/env python3
"""Compares `churn snapshot --prometheus --json` (the fleet) with the replicas' own figures.

  fleet_compare.py rates SNAPSHOT STATS_A STATS_B
      During steady load: request rates of the 1-minute window (fleet vs the sum of the replicas' /api/v1/stats),
      within 10% (Prometheus's rate() extrapolates over scrape times; the replicas count whole seconds).
  fleet_compare.py final SNAPSHOT STATS_A STATS_B METRICS_A METRICS_B UNION_SUMMARY MODEL_JSON
      After the load: predictions by risk equal; requests equal within the monitoring requests in between
      (scrapes and stats reads are requests too); drift equal (1e-9) to the drift of the union of the traffic,
      computed twice: by `churn score` over every customer the replicas accepted, and here from the replicas'
      summed /metrics bin counters against the model's reference profile; and different from each replica's own.
Prints every comparison; exits 1 on the first set with a failure.
"""
import json
import math
import re
import sys

failures = []


def check(name, ok, detail):
    print(f"    {'ok  ' if ok else 'FAIL'} {name}: {detail}")
    if not ok:
        failures.append(name)


def load(path):
    with open(path) as f:
        return json.load(f)


def window(snap, seconds):
    return next(w for w in snap["windows"] if w["seconds"] == seconds)


def rates(snap, a, b):
    fleet = window(snap, 60)["requestRate"]
    own = window(a, 60)["requestRate"] + window(b, 60)["requestRate"]
    check("request rate, 1 min", abs(fleet - own) <= 0.10 * own,
          f"fleet {fleet:.2f}/s vs replicas {window(a, 60)['requestRate']:.2f} + {window(b, 60)['requestRate']:.2f} "
          f"= {own:.2f}/s (diff {100 * (fleet - own) / own:+.1f}%, tolerance 10%)")
    fleet5 = window(snap, 300)["requestRate"]
    own5 = window(a, 300)["requestRate"] + window(b, 300)["requestRate"]
    check("request rate, 5 min", abs(fleet5 - own5) <= 0.10 * own5,
          f"fleet {fleet5:.2f}/s vs replicas {own5:.2f}/s (diff {100 * (fleet5 - own5) / own5:+.1f}%, tolerance 10%)")
    p99 = window(snap, 60)["p99"]
    own_p99 = [window(x, 60)["p99"] for x in (a, b)]
    # Different bucket resolutions (16 exported bounds vs 61 in-process): a sanity bound, not equality.
    check("p99 latency, 1 min", p99 is not None and all(q and q / 4 <= p99 <= q * 4 for q in own_p99),
          f"fleet {p99 * 1000 if p99 else float('nan'):.2f} ms vs replicas "
          f"{', '.join(f'{q * 1000:.2f}' for q in own_p99)} ms (within 4x: Prometheus sees coarser buckets)")


def bin_counters(path, version=None):
    """churn_feature_bin_total by (feature, bin), summed over the other labels (model_version), optionally only
    for one model version."""
    counts = {}
    sample = re.compile(r'^churn_feature_bin_total\{([^}]*)\} (\S+)$')
    label = re.compile(r'(\w+)="([^"]*)"')
    with open(path) as f:
        for line in f:
            m = sample.match(line.strip())
            if not m:
                continue
            labels = dict(label.findall(m.group(1)))
            if version is not None and labels.get("model_version", version) != version:
                continue
            key = (labels["feature"], int(labels["bin"]))
            counts[key] = counts.get(key, 0.0) + float(m.group(2))
    return counts


def psi_from_counts(counts, model):
    """PSI per feature as docs/api.md defines it: shares floored at 1e-4, sum of (a - e) ln(a / e)."""
    out = {}
    for column in model["reference"]["columns"]:
        name = column["name"]
        observed = [counts.get((name, b), 0) for b in range(len(column["proportions"]))]
        total = sum(observed)
        psi = 0.0
        for b, e in enumerate(column["proportions"]):
            e = max(e, 1e-4)
            a = max(observed[b] / total if total else 0, 1e-4)
            psi += (a - e) * math.log(a / e)
        out[name] = psi
    return out


def final(snap, a, b, metrics_a, metrics_b, union, model):
    t, ta, tb = snap["totals"], a["totals"], b["totals"]
    for level in ("low", "medium", "high"):
        check(f"predictions, {level} risk", t["byRisk"][level] == ta["byRisk"][level] + tb["byRisk"][level],
              f"fleet {t['byRisk'][level]} = {ta['byRisk'][level]} + {tb['byRisk'][level]}")
    check("predictions, total", t["predictions"] == ta["predictions"] + tb["predictions"],
          f"fleet {t['predictions']} = {ta['predictions']} + {tb['predictions']}")
    own = ta["requests"] + tb["requests"]
    check("requests, total", 0 <= own - t["requests"] <= 12,
          f"fleet {t['requests']} vs replicas {ta['requests']} + {tb['requests']} = {own} (the replicas count the "
          f"scrapes and stats reads since Prometheus's last scrape too: 0-12 allowed)")
    check("5xx errors, total", t["errors"] == ta["errors"] + tb["errors"], f"fleet {t['errors']} = {ta['errors']} + {tb['errors']}")

    fleet = {f["name"]: f["psi"] for f in snap["drift"]["features"]}
    scored = {f["name"]: f["psi"] for f in union["drift"]["features"]}
    a_bins, b_bins = bin_counters(metrics_a, model["version"]), bin_counters(metrics_b, model["version"])
    counted = psi_from_counts({k: a_bins.get(k, 0) + b_bins.get(k, 0) for k in set(a_bins) | set(b_bins)}, model)
    check("drift rows", snap["drift"]["rows"] == union["scored"] == ta["predictions"] + tb["predictions"],
          f"fleet window {snap['drift']['rows']}, union file scored {union['scored']}, replicas {ta['predictions'] + tb['predictions']}")
    worst = max(fleet, key=fleet.get)
    diff_scored = max(abs(fleet[k] - scored[k]) for k in fleet)
    check("drift = churn score over the union of accepted customers", set(fleet) == set(scored) and diff_scored < 1e-9,
          f"{len(fleet)} features, max |PSI diff| {diff_scored:.1e}; worst {worst} fleet {fleet[worst]:.6f} / union {scored[worst]:.6f}")
    diff_counted = max(abs(fleet[k] - counted[k]) for k in fleet)
    check("drift = PSI of the summed /metrics bin counters", diff_counted < 1e-9,
          f"max |PSI diff| {diff_counted:.1e}; {worst} {counted[worst]:.6f}")
    check("drift score", abs(snap["drift"]["score"] - union["drift"]["score"]) < 1e-12,
          f"fleet {snap['drift']['score']:.4f}, union {union['drift']['score']:.4f}, "
          f"replica A alone {a['drift']['score']:.4f}, replica B alone {b['drift']['score']:.4f}")
    own_a = {f["name"]: f["psi"] for f in a["drift"]["features"]}
    own_b = {f["name"]: f["psi"] for f in b["drift"]["features"]}
    check("the replicas disagree (the comparison means something)",
          abs(own_a[worst] - fleet[worst]) > 0.01 and abs(own_b[worst] - fleet[worst]) > 0.01,
          f"{worst}: replica A {own_a[worst]:.4f}, replica B {own_b[worst]:.4f}, fleet {fleet[worst]:.4f}")
    replicas = snap["replicas"]
    check("replicas table", len(replicas) == 2 and all(r["up"] and r["modelVersion"] == snap["model"]["version"] for r in replicas),
          ", ".join(f"{r['instance']} {'up' if r['up'] else 'DOWN'} {r.get('requestRate') or 0:.1f}/s {r.get('modelVersion')}" for r in replicas))
    names = sorted(x["name"] for x in snap["alerts"])
    check("alerts from Prometheus's rules", names == ["ApiDown", "DataDriftHigh", "HighErrorRate", "HighLatencyP99", "ModelF1Low"],
          ", ".join(f"{x['name']} {x['state']}" for x in snap["alerts"]))
    check("no warnings", not snap.get("warnings"), str(snap.get("warnings")))


def main():
    mode, args = sys.argv[1], [load(p) if p.endswith(".json") else p for p in sys.argv[2:]]
    if mode == "rates":
        rates(*args)
    else:
        final(*args)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
