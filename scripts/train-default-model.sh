#!/usr/bin/env bash
# Regenerates the model that ships with the package (Sources/ChurnModel/Resources/default-model.json):
# a logistic model trained by `churn train` on 50,000 customers from `churn generate` (fixed seed).
#
# Why logistic: on generated data and on the real Telco file it is within 0.01 AUC of the trees
# (docs/benchmarks.md), its explanations are exact, and it scores several times faster, which is what the
# default is used for (batch scoring, the API, the console's demo). Train your own with --learner auto or gbt.
set -euo pipefail
cd "$(dirname "$0")/.."
churn=${CHURN_BIN:-.build/release/churn}
[[ -x $churn ]] || swift build -c release --product churn
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$churn" generate --rows 50000 --seed 20261128 -o "$work/train.csv"
"$churn" train "$work/train.csv" -o Sources/ChurnModel/Resources/default-model.json --learner logistic --seed 42 --force
