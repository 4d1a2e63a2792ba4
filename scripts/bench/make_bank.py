"""Writes a synthetic bank-customer churn file (a shape unlike Telco) for the quality benchmark.

Columns as in the public bank-churn sample: RowNumber, CustomerId, Surname, CreditScore, Geography, Gender, Age,
Tenure, Balance, NumOfProducts, HasCrCard, IsActiveMember, EstimatedSalary, Exited (0/1). Churn depends on the
features through nonlinear effects and interactions (an age hump, a product-count U shape, activity that matters
more for older customers, a zero-balance spike, one country's customers leaving more), so trees should beat a
linear model by a clear margin, as they do on the real file. usage: make_bank.py ROWS SEED OUT.csv
"""
import csv, sys
import numpy as np

rows, seed, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = np.random.default_rng(seed)
geo = rng.choice(["France", "Germany", "Spain"], rows, p=[0.5, 0.25, 0.25])
gender = rng.choice(["Male", "Female"], rows, p=[0.55, 0.45])
age = np.clip(rng.gamma(9, 4.3, rows) + 2, 18, 92).round()
tenure = rng.integers(0, 11, rows)
credit = np.clip(rng.normal(650, 97, rows), 350, 850).round()
zero_balance = rng.random(rows) < np.where(geo == "Germany", 0.02, 0.45)
balance = np.where(zero_balance, 0.0, np.clip(rng.normal(120000, 30000, rows), 3000, 250000)).round(2)
products = rng.choice([1, 2, 3, 4], rows, p=[0.5, 0.46, 0.03, 0.01])
card = (rng.random(rows) < 0.7).astype(int)
active = (rng.random(rows) < 0.52).astype(int)
salary = rng.uniform(100, 200000, rows).round(2)

z = -2.6
z = z + 2.6 * np.exp(-((age - 55) / 10) ** 2)                      # the age hump
z = z + np.select([products == 1, products == 2, products >= 3], [0.35, -1.1, 2.6])
z = z + np.where(active == 0, 0.25 + 0.9 * (age > 45), -0.3)        # inactivity hurts older customers most
z = z + np.where(geo == "Germany", 0.7, 0.0) + np.where(gender == "Female", 0.4, 0.0)
z = z + np.where(zero_balance, -0.35, 0.0) + 0.4 * (balance > 150000)
z = z - 0.002 * (credit - 650) * (credit < 450) + 0.15 * (tenure <= 1)
z = z + rng.normal(0, 0.4, rows)                                    # what no column explains
exited = (rng.random(rows) < 1 / (1 + np.exp(-z))).astype(int)

names = ["Smith", "Chen", "Rossi", "Müller", "Garcia", "Okafor", "Nguyen", "Ivanova", "Brown", "Dubois"]
with open(out, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["RowNumber", "CustomerId", "Surname", "CreditScore", "Geography", "Gender", "Age", "Tenure", "Balance",
                "NumOfProducts", "HasCrCard", "IsActiveMember", "EstimatedSalary", "Exited"])
    for i in range(rows):
        w.writerow([i + 1, 15_600_000 + i * 7, names[rng.integers(len(names))] + str(rng.integers(1000)), int(credit[i]),
                    geo[i], gender[i], int(age[i]), int(tenure[i]), balance[i], int(products[i]), card[i], active[i],
                    salary[i], exited[i]])
