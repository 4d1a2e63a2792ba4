"""Compares churn's `--explain all` output with a library's own TreeSHAP, per customer and input column.
usage: shap_parity.py xgboost|lightgbm MODEL DATA.csv EXPLAINED.csv   (see scripts/shap-parity.sh)"""
import os, sys
import numpy as np, pandas as pd

library, model, data, explained = sys.argv[1:5]
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "bench", "peers"))
from common import load, one_hot  # noqa: E402  (the peers' own loading and one-hot encoding)

ids, df, _ = load(data)
columns = list(df.columns)
if library == "xgboost":
    import xgboost as xgb
    booster = xgb.Booster()
    booster.load_model(model)
    features = booster.feature_names
    contribs = booster.predict(xgb.DMatrix(one_hot(df, features)), pred_contribs=True)
    version = xgb.__version__
else:
    import lightgbm as lgb
    booster = lgb.Booster(model_file=model)
    features = booster.feature_name()
    X = one_hot(df)
    X.columns = [c.replace(" ", "_") for c in X.columns]  # LightGBM's spelling of the names
    contribs = booster.predict(X.reindex(columns=features, fill_value=0.0).values, pred_contrib=True)
    version = lgb.__version__


def column_of(feature):
    if feature in columns:
        return feature
    return max((c for c in columns if feature.startswith(c + "_")), key=len)


theirs = pd.DataFrame(0.0, index=range(len(df)), columns=columns)
for k, f in enumerate(features):
    theirs[column_of(f)] += contribs[:, k].astype(np.float64)
theirs["base_value"] = contribs[:, -1].astype(np.float64)

ours = pd.read_csv(explained, dtype={"customerID": str})
if len(ours) != len(df) or list(ours["customerID"]) != list(ids.astype(str).str.strip()):
    sys.exit(f"{library}: churn scored {len(ours)} of {len(df)} customers, or in another order")
worst, where = 0.0, None
for c in columns + ["base_value"]:
    name = "base_value" if c == "base_value" else "contribution_" + c
    # A column the model never reads is left out of the imported schema; the library gives it 0.
    mine = ours[name].values if name in ours else np.zeros(len(df))
    gap = np.abs(mine - theirs[c].values)
    if gap.max() > worst:
        worst, where = gap.max(), (c, ids.iloc[int(gap.argmax())])
ok = worst <= 1e-5
print(f"{library} {version}: {len(df)} customers x {len(columns)} columns + base value; largest |difference| "
      f"{worst:.2g} ({where[0]}, customer {where[1]}) {'<=' if ok else '>'} 1e-5: {'ok' if ok else 'FAIL'}")
sys.exit(0 if ok else 1)
