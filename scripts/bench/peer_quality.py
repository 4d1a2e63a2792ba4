"""The peers of ../shared/bench/peers/quality.py (same models, same settings, same threshold rule) on a given
train/test pair of any schema, for the files quality.py cannot read (not Telco-shaped, or split in advance).

usage: peer_quality.py TRAIN.csv TEST.csv TARGET [--drop COL ...]
The label is 1 for Yes/True/1 (any case); the --drop columns (ids, row numbers, names) are left out, as a person
would before fitting. Categorical columns are one-hot encoded on the training and test rows together.
"""
import argparse, time
import numpy as np, pandas as pd
from sklearn.metrics import roc_auc_score, f1_score
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.pipeline import make_pipeline
import xgboost as xgb, lightgbm as lgb

ap = argparse.ArgumentParser()
ap.add_argument("train"); ap.add_argument("test"); ap.add_argument("target")
ap.add_argument("--drop", nargs="*", default=[])
a = ap.parse_args()
tr, te = pd.read_csv(a.train), pd.read_csv(a.test)
label = lambda s: s.astype(str).str.strip().str.lower().isin(["yes", "true", "1"]).astype(int).values
ytr, yte = label(tr.pop(a.target)), label(te.pop(a.target))
both = pd.concat([tr, te]).drop(columns=[c for c in a.drop if c in tr.columns])
for c in both.columns:  # numbers with blanks (Telco's TotalCharges) are numbers
    if not pd.api.types.is_numeric_dtype(both[c]):
        n = pd.to_numeric(both[c], errors="coerce")
        if n.notna().sum() >= 0.99 * both[c].astype(str).str.strip().ne("").sum():
            both[c] = n
cat = [c for c in both.columns if not pd.api.types.is_numeric_dtype(both[c])]
X = pd.get_dummies(both, columns=cat, dtype=float)
Xtr, Xte = X.iloc[:len(tr)], X.iloc[len(tr):]
models = {
    "xgboost": (lambda: xgb.XGBClassifier(n_estimators=300, max_depth=4, learning_rate=0.05, tree_method="hist", n_jobs=2, subsample=0.8, colsample_bytree=0.8, random_state=0), False),
    "lightgbm": (lambda: lgb.LGBMClassifier(n_estimators=300, learning_rate=0.05, num_leaves=15, n_jobs=2, verbose=-1, random_state=0), False),
    "sklearn-logistic": (lambda: make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)), True),
}
for name, (make, dense) in models.items():
    x1, x2 = (Xtr.fillna(0), Xte.fillna(0)) if dense else (Xtr, Xte)
    m = make(); t = time.perf_counter(); m.fit(x1, ytr); dt = time.perf_counter() - t
    ptr, pte = m.predict_proba(x1)[:, 1], m.predict_proba(x2)[:, 1]
    thr = max(np.linspace(0.05, 0.95, 91), key=lambda t: f1_score(ytr, ptr >= t))
    print(f"{name:18s} auc={roc_auc_score(yte, pte):.4f} f1={f1_score(yte, pte >= thr):.4f} threshold={thr:.2f} train_s={dt:.3f}")
