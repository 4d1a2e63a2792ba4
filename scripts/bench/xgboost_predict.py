"""XGBoost's own prediction on a customer file, timed: the peer side of scripts/bench/import.sh.

usage: xgboost_predict.py MODEL.json CUSTOMERS.csv RUNS THREADS [PROBA_OUT.csv]

Encodes the customers as the peers do (../shared/bench/peers/common.py: pandas read, get_dummies, columns in the
model's order, float64), then times RUNS calls of Booster.inplace_predict on that matrix and RUNS calls of
Booster.predict on a DMatrix built just before each (construction not timed), both with nthread=THREADS.
Prints one JSON line: rows, features, trees, the seconds of every run of each, and the library version.
With PROBA_OUT, writes the inplace_predict probabilities (column "xgboost", %.9g) for a parity check."""
import json, os, sys, time
import numpy as np, xgboost as xgb

here = os.path.dirname(os.path.abspath(__file__))
peers = os.path.normpath(os.path.join(here, "..", "..", "..", "shared", "bench", "peers"))
sys.path.insert(0, peers)
from common import load, one_hot  # noqa: E402

model, customers, runs, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
booster = xgb.Booster()
booster.load_model(model)
booster.set_param({"nthread": threads})
_, df, _ = load(customers)
X = np.ascontiguousarray(one_hot(df, booster.feature_names).to_numpy(dtype=np.float64))

inplace = []
for _ in range(runs):
    t = time.perf_counter()
    p = booster.inplace_predict(X)
    inplace.append(time.perf_counter() - t)
predict = []
for _ in range(runs):
    # A fresh DMatrix each run: the booster caches its predictions per DMatrix.
    dmatrix = xgb.DMatrix(X, feature_names=booster.feature_names, nthread=threads)
    t = time.perf_counter()
    booster.predict(dmatrix)
    predict.append(time.perf_counter() - t)
    del dmatrix
if len(sys.argv) > 5:
    np.savetxt(sys.argv[5], p, fmt="%.9g", header="xgboost", comments="")
print(json.dumps({"rows": X.shape[0], "features": X.shape[1], "trees": booster.num_boosted_rounds(),
                  "inplace_predict": inplace, "dmatrix_predict": predict, "xgboost": xgb.__version__}))
