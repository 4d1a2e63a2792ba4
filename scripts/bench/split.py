"""Writes the exact train/test split of ../shared/bench/peers/quality.py as two CSV files, rows copied verbatim.

quality.py splits the one-hot matrix with train_test_split(test_size=0.25, random_state=42, stratify=y); the
partition depends only on the row count, the labels and the seed, so splitting the row indexes the same way
gives the same rows. usage: split.py DATA.csv TRAIN.csv TEST.csv [TARGET]   (TARGET: Churn by default; the label is 1
for Yes/True/1, any case)
"""
import csv, sys
import numpy as np
from sklearn.model_selection import train_test_split

src, train_path, test_path = sys.argv[1:4]
target = sys.argv[4] if len(sys.argv) > 4 else "Churn"
with open(src, newline="", encoding="utf-8-sig") as f:
    rows = list(csv.reader(f))
header, body = rows[0], rows[1:]
y = np.array([1 if r[header.index(target)].strip().lower() in ("yes", "true", "1") else 0 for r in body])
train_idx, test_idx = train_test_split(np.arange(len(body)), test_size=0.25, random_state=42, stratify=y)
for path, idx in ((train_path, train_idx), (test_path, test_idx)):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for i in sorted(idx):
            w.writerow(body[i])
print(f"train {len(train_idx)} rows, test {len(test_idx)} rows")
