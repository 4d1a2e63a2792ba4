"""Writes the parity fixtures of `churn import` (Tests/ChurnModelTests/Fixtures/import/).

Three cases, each a pair of real library models plus customer rows and the libraries' own probabilities for them:

  telco        the peers' own fit.py on the real Telco file (one-hot features, 300 trees each; TotalCharges has
               11 blanks, so a few rows carry a missing value); 400 of its rows are kept, every blank one among them.
  missing      the same file with values blanked at random (numeric and categorical), fitted by XGBoost and by
               LightGBM three ways: missing as NaN (default), zero_as_missing=True (missing type Zero) and
               use_missing=False (missing type None: NaN is read as 0 at prediction).
  categorical  categorical columns as pandas `category` dtype, no one-hot: XGBoost enable_categorical (one-vs-rest
               and partition splits) and LightGBM's native categorical splits; some categories blanked.

For each case: <case>.customers.csv (the rows as customers, Telco header, blanks where missing),
<case>.expected.csv (one column per model: the library's predict_proba), the model files, and for telco also
telco.features.csv (the one-hot matrix fit.py trained on, same rows). versions.json records what made them.

Run with the peers' venv from the project root:
    .venv-peers/bin/python scripts/make-import-fixtures.py ../shared/data/telco.csv Tests/ChurnModelTests/Fixtures/import
(../shared/bench/peers/requirements.txt pins the versions; PEERS=DIR names another copy of the peers).
"""
import json, os, platform, subprocess, sys, tempfile
import numpy as np, pandas as pd, xgboost as xgb, lightgbm as lgb

telco, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
here = os.path.dirname(os.path.abspath(__file__))
peers = os.environ.get("PEERS") or os.path.normpath(os.path.join(here, "..", "..", "shared", "bench", "peers"))
if not os.path.isfile(os.path.join(peers, "common.py")):
    sys.exit(f"make-import-fixtures: no peers at {peers}: put shared/ beside the project or set PEERS=DIR")
sys.path.insert(0, peers)
from common import load, one_hot  # noqa: E402  (the peers' own loading and one-hot encoding)

raw = pd.read_csv(telco, dtype=str, keep_default_na=False)
ROWS = 400
rng = np.random.default_rng(8)


def pick_rows(df_missing_mask):
    """400 row indexes, sorted: every row with a missing value (up to half) plus a seeded sample of the rest."""
    missing = np.flatnonzero(df_missing_mask)
    missing = missing[: ROWS // 2]
    rest = np.setdiff1d(np.arange(len(raw)), missing)
    return np.sort(np.concatenate([missing, rng.choice(rest, ROWS - len(missing), replace=False)]))


def write_customers(name, frame, rows):
    frame.iloc[rows].to_csv(f"{out}/{name}.customers.csv", index=False)


def write_expected(name, columns, rows):
    pd.DataFrame({k: np.asarray(v)[rows] for k, v in columns.items()}).to_csv(
        f"{out}/{name}.expected.csv", index=False, float_format="%.17g")


# --- telco: fit.py itself -------------------------------------------------------------------------------------
with tempfile.TemporaryDirectory() as tmp:
    subprocess.run([sys.executable, os.path.join(peers, "fit.py"), telco, f"{tmp}/peer"], check=True, cwd=peers,
                   stdout=subprocess.DEVNULL)
    features = pd.read_csv(f"{tmp}/peer.features.csv")
    expected = pd.read_csv(f"{tmp}/peer.expected.csv")
    rows = pick_rows(features["TotalCharges"].isna().values)
    for src, dst in [("xgb.json", "telco.xgb.json"), ("lgb.txt", "telco.lgb.txt")]:
        os.replace(f"{tmp}/peer.{src}", f"{out}/{dst}")
    features.iloc[rows].to_csv(f"{out}/telco.features.csv", index=False, float_format="%.17g")
    # fit.py prints its probabilities with 9 significant digits; keep them as written.
    expected.iloc[rows].to_csv(f"{out}/telco.expected.csv", index=False, float_format="%.9g")
    write_customers("telco", raw, rows)

# --- missing: blanks in numeric and categorical columns -------------------------------------------------------
blanked = raw.copy()
for col, share in [("tenure", 0.08), ("MonthlyCharges", 0.05), ("TotalCharges", 0.05), ("Contract", 0.05),
                   ("InternetService", 0.05), ("PaymentMethod", 0.03)]:
    hit = rng.random(len(blanked)) < share
    blanked.loc[hit, col] = ""
with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
    blanked.to_csv(f, index=False)
    path = f.name
_, df, y = load(path)
os.unlink(path)
for col in ["tenure", "MonthlyCharges"]:
    df[col] = pd.to_numeric(df[col], errors="coerce")
X = one_hot(df)
# use_missing=False models a file whose training data had no blanks: fit it on complete rows, predict on all.
complete = ~df[["tenure", "MonthlyCharges", "TotalCharges"]].isna().any(axis=1).values
models = {
    "xgboost": xgb.XGBClassifier(n_estimators=60, max_depth=5, learning_rate=0.1, tree_method="hist", n_jobs=2),
    "lightgbm": lgb.LGBMClassifier(n_estimators=60, learning_rate=0.1, num_leaves=15, n_jobs=2, verbose=-1),
    "lightgbm_zero": lgb.LGBMClassifier(n_estimators=60, learning_rate=0.1, num_leaves=15, n_jobs=2, verbose=-1,
                                        zero_as_missing=True),
    "lightgbm_none": lgb.LGBMClassifier(n_estimators=60, learning_rate=0.1, num_leaves=15, n_jobs=2, verbose=-1,
                                        use_missing=False),
}
predictions = {}
for name, m in models.items():
    if name == "lightgbm_none":
        m.fit(X[complete], y[complete])
    else:
        m.fit(X, y)
    predictions[name] = m.predict_proba(X)[:, 1]
models["xgboost"].get_booster().save_model(f"{out}/missing.xgb.json")
for name, file in [("lightgbm", "missing.lgb.txt"), ("lightgbm_zero", "missing-zero.lgb.txt"),
                   ("lightgbm_none", "missing-none.lgb.txt")]:
    models[name].booster_.save_model(f"{out}/{file}")
rows = pick_rows(X[["tenure", "MonthlyCharges", "TotalCharges"]].isna().any(axis=1).values
                 | (blanked[["Contract", "InternetService", "PaymentMethod"]] == "").any(axis=1).values)
write_customers("missing", blanked, rows)
write_expected("missing", predictions, rows)

# --- categorical: pandas category columns, native categorical splits ------------------------------------------
cat_raw = raw.copy()
for col, share in [("Contract", 0.04), ("PaymentMethod", 0.04), ("InternetService", 0.03)]:
    cat_raw.loc[rng.random(len(cat_raw)) < share, col] = ""
with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
    cat_raw.to_csv(f, index=False)
    path = f.name
_, df, y = load(path)
os.unlink(path)
for col in df.columns:
    if not pd.api.types.is_numeric_dtype(df[col]):
        df[col] = df[col].astype("category")
xm = xgb.XGBClassifier(n_estimators=60, max_depth=4, learning_rate=0.1, tree_method="hist", n_jobs=2,
                       enable_categorical=True, max_cat_to_onehot=3).fit(df, y)
lm = lgb.LGBMClassifier(n_estimators=60, learning_rate=0.1, num_leaves=15, n_jobs=2, verbose=-1,
                        min_data_per_group=20, cat_smooth=5, max_cat_to_onehot=2).fit(df, y)
xm.get_booster().save_model(f"{out}/categorical.xgb.json")
lm.booster_.save_model(f"{out}/categorical.lgb.txt")
rows = pick_rows((cat_raw[["Contract", "PaymentMethod", "InternetService"]] == "").any(axis=1).values
                 | df["TotalCharges"].isna().values)
write_customers("categorical", cat_raw, rows)
write_expected("categorical", {"xgboost": xm.predict_proba(df)[:, 1], "lightgbm": lm.predict_proba(df)[:, 1]}, rows)

json.dump({
    "made_by": "scripts/make-import-fixtures.py " + os.path.basename(telco),
    "python": platform.python_version(), "numpy": np.__version__, "pandas": pd.__version__,
    "xgboost": xgb.__version__, "lightgbm": lgb.__version__,
    "rows_per_case": ROWS,
}, open(f"{out}/versions.json", "w"), indent=2)
print(f"wrote fixtures to {out}")
