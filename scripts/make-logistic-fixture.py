"""Writes the logistic-regression reference fixture used by LogisticRegressionTests.

A small seeded problem (numeric + one categorical column with a missing value) and scikit-learn's solution of
the same objective our trainer minimises: mean log loss + (l2/2)*||w||^2 on standardised features, which is
sklearn's C = 1 / (l2 * n). Run with the peers' venv:
    .venv-peers/bin/python scripts/make-logistic-fixture.py Tests/ChurnModelTests/Fixtures
"""
import json, sys
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

out = sys.argv[1]
rng = np.random.default_rng(7)
n = 400
age = rng.normal(40, 12, n).round(1)
spend = rng.gamma(2.0, 30.0, n).round(2)
plan = rng.choice(["basic", "plus", "pro"], n, p=[0.5, 0.3, 0.2])
z = -1.0 + 0.04 * (age - 40) - 0.015 * (spend - 60) + np.where(plan == "pro", -1.2, np.where(plan == "plus", 0.5, 0.0))
y = (rng.random(n) < 1 / (1 + np.exp(-z))).astype(int)
spend_str = [f"{v}" for v in spend]
spend_str[5] = ""  # one missing value: the trainer fills it with the column mean
rows = ["id,age,spend,plan,churned"] + [f"c{i},{age[i]},{spend_str[i]},{plan[i]},{'Yes' if y[i] else 'No'}" for i in range(n)]
open(f"{out}/logistic-small.csv", "w").write("\n".join(rows) + "\n")

# Encode as our trainer does: numeric columns (mean-filled) then one indicator per category, most frequent first.
spend_f = np.array([np.nan if s == "" else float(s) for s in spend_str])
spend_missing = np.isnan(spend_f).astype(float)
spend_f[np.isnan(spend_f)] = np.nanmean(spend_f)
cats = sorted(set(plan), key=lambda c: (-list(plan).count(c), c))
# Then one "was missing" indicator per numeric column with missing values, as the trainer adds.
X = np.column_stack([age, spend_f] + [(plan == c).astype(float) for c in cats] + [spend_missing])
l2 = 0.01
model = LogisticRegression(C=1.0 / (l2 * n), tol=1e-12, max_iter=100000, solver="lbfgs")
Z = StandardScaler().fit_transform(X)
model.fit(Z, y)
json.dump({"l2": l2, "features": ["age", "spend"] + [f"plan={c}" for c in cats] + ["spend (missing)"],
           "intercept": float(model.intercept_[0]), "weights": [float(w) for w in model.coef_[0]],
           "sklearn": __import__("sklearn").__version__},
          open(f"{out}/logistic-small.expected.json", "w"), indent=2)
print("wrote", out)
