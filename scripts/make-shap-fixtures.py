"""Writes the TreeSHAP parity fixtures (Tests/ChurnModelTests/Fixtures/shap/) from the committed import fixtures.

For each model below, the library's own exact TreeSHAP values (XGBoost `pred_contribs=True`, LightGBM
`pred_contrib=True`) on that case's customer rows, summed per input column (a one-hot column's indicators added
up), with the library's bias term as `base_value`: one CSV per model, one row per customer, columns in the
customers file's order. `churn`'s explanations of the imported model must match them (ShapParityTests).

  telco.xgb.json, telco.lgb.txt      the peers' fit.py models (300 trees) on 400 real Telco rows
  missing.xgb.json, missing.lgb.txt  blanks in numeric and categorical columns (default directions)
  missing-none.lgb.txt               LightGBM missing type None (NaN read as 0)

Run with the peers' venv from the project root:
    ${PYTHON:-.venv-peers/bin/python} scripts/make-shap-fixtures.py
"""
import json, os, sys
import numpy as np, pandas as pd, xgboost as xgb, lightgbm as lgb

root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
src = os.path.join(root, "Tests", "ChurnModelTests", "Fixtures", "import")
out = os.path.join(root, "Tests", "ChurnModelTests", "Fixtures", "shap")
os.makedirs(out, exist_ok=True)
sys.path.insert(0, os.path.normpath(os.path.join(root, "..", "shared", "bench", "peers")))
from common import load, one_hot  # noqa: E402  (the peers' own loading and one-hot encoding)

MODELS = [("telco", "telco.xgb.json"), ("telco", "telco.lgb.txt"), ("missing", "missing.xgb.json"),
          ("missing", "missing.lgb.txt"), ("missing", "missing-none.lgb.txt")]


def column_of(feature, columns):
    """The input column a model feature reads: itself, or the longest column it is an indicator of."""
    if feature in columns:
        return feature
    owners = [c for c in columns if feature.startswith(c + "_")]
    if not owners:
        raise SystemExit(f"feature {feature!r} matches no input column")
    return max(owners, key=len)


def per_column(contribs, features, columns):
    """Sums an (n, features + 1) contribution matrix per input column; the last column is the bias."""
    table = pd.DataFrame(0.0, index=range(contribs.shape[0]), columns=columns)
    for k, f in enumerate(features):
        table[column_of(f, columns)] += contribs[:, k].astype(np.float64)
    table["base_value"] = contribs[:, -1].astype(np.float64)
    return table


for case, model in MODELS:
    customers = os.path.join(src, f"{case}.customers.csv")
    _, df, _ = load(customers)
    for col in ["tenure", "MonthlyCharges"]:
        df[col] = pd.to_numeric(df[col], errors="coerce")
    columns = list(df.columns)
    if model.endswith(".json"):
        booster = xgb.Booster()
        booster.load_model(os.path.join(src, model))
        features = booster.feature_names
        X = one_hot(df, features)
        contribs = booster.predict(xgb.DMatrix(X), pred_contribs=True)
        margin = booster.predict(xgb.DMatrix(X), output_margin=True)
    else:
        booster = lgb.Booster(model_file=os.path.join(src, model))
        # LightGBM wrote spaces in feature names as underscores; name the matrix the same way.
        features = booster.feature_name()
        X = one_hot(df)
        X.columns = [c.replace(" ", "_") for c in X.columns]
        X = X.reindex(columns=features, fill_value=0.0)
        contribs = booster.predict(X.values, pred_contrib=True)
        margin = booster.predict(X.values, raw_score=True)
    table = per_column(contribs, features, columns)
    gap = np.max(np.abs(table.sum(axis=1).values - margin))
    assert gap < 1e-4, f"{model}: contributions do not add up to the margin ({gap})"
    name = model.replace(".json", "").replace(".txt", "") + ".contribs.csv"
    table.to_csv(os.path.join(out, name), index=False, float_format="%.10g")
    print(f"wrote {name}: {len(table)} rows, {len(columns)} columns, additivity gap {gap:.2g}")

json.dump({"made_by": "scripts/make-shap-fixtures.py", "xgboost": xgb.__version__, "lightgbm": lgb.__version__},
          open(os.path.join(out, "versions.json"), "w"), indent=2)
