#!/usr/bin/env bash
# No secret in the repository: detect-secrets (pinned, installed into the git-ignored .venv-secrets) scans every
# tracked file; each finding must be listed in secrets-allowlist.txt with the reason it is not a secret.
# Exits 1 and lists any other finding. Part of scripts/test.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
venv=.venv-secrets
req=scripts/reliability/requirements-secrets.txt
want=$(sha256sum "$req" | cut -d' ' -f1)
if [[ ! -x $venv/bin/detect-secrets || $(cat "$venv/.requirements.sha256" 2>/dev/null) != "$want" ]]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$req"
  echo "$want" >"$venv/.requirements.sha256"
fi
"$venv/bin/detect-secrets" scan >"${TMPDIR:-/tmp}/churn-secrets.$$.json"
status=0
python3 - "${TMPDIR:-/tmp}/churn-secrets.$$.json" scripts/reliability/secrets-allowlist.txt <<'PY' || status=$?
import json, sys
results = json.load(open(sys.argv[1]))["results"]
allowed = {tuple(l.split("\t")[:3]) for l in open(sys.argv[2]) if l.strip() and not l.startswith("#")}
found = [(f, r["type"], r["hashed_secret"], r["line_number"]) for f, rs in results.items() for r in rs]
new = [x for x in found if x[:3] not in allowed]
stale = allowed - {x[:3] for x in found}
for f, kind, _, line in new:
    print(f"secrets: FINDING {f}:{line}: {kind} (not in scripts/reliability/secrets-allowlist.txt)")
for f, kind, h in sorted(stale):
    print(f"secrets: note: allow-list entry no longer found: {f} {kind} {h}")
print(f"secrets: detect-secrets: {len(found)} finding(s), {len(found) - len(new)} documented false positive(s), {len(new)} new")
sys.exit(1 if new else 0)
PY
rm -f "${TMPDIR:-/tmp}/churn-secrets.$$.json"
exit $status
