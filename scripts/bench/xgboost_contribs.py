"""Times XGBoost's own TreeSHAP (Booster.predict(pred_contribs=True)) and plain predict on a customer file.
usage: xgboost_contribs.py MODEL.json DATA.csv RUNS THREADS [ROWS]
Prints JSON: seconds per run of each (the matrix is built once, before timing), and the rows used."""
import json, os, sys, time
import xgboost as xgb

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "bench", "peers"))
from common import load, one_hot  # noqa: E402

model, data, runs, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rows = int(sys.argv[5]) if len(sys.argv) > 5 else None
booster = xgb.Booster()
booster.load_model(model)
booster.set_param({"nthread": threads})
_, df, _ = load(data)
if rows:
    df = df.iloc[:rows]
matrix = xgb.DMatrix(one_hot(df, booster.feature_names), nthread=threads)
out = {"xgboost": xgb.__version__, "rows": len(df), "predict": [], "pred_contribs": []}
for _ in range(runs):
    t = time.perf_counter(); booster.predict(matrix); out["predict"].append(time.perf_counter() - t)
    t = time.perf_counter(); booster.predict(matrix, pred_contribs=True); out["pred_contribs"].append(time.perf_counter() - t)
print(json.dumps(out))
