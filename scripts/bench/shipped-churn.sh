# Sourced by the batch benchmarks: sets $churn to the binary they measure.
#
# By default the binary as shipped: the Dockerfile and the release job link the Swift runtime and Foundation
# statically (--static-swift-stdlib), built here in a directory of its own (.build-static) and brought up to date
# on every run (about a second when nothing changed), so an edit is never measured on a stale binary. CHURN=path
# measures another build instead, such as .build/release/churn from a plain `swift build -c release` (the same
# code, with about 4 ms more start-up and a few percent more CPU: docs/benchmarks.md, sixth session).
if [[ -n ${CHURN:-} ]]; then
  churn=$(realpath "$CHURN")
  [[ -x $churn ]] || { echo "no churn binary at $CHURN" >&2; exit 1; }
else
  churn=$PWD/.build-static/release/churn
  swift build -c release --product churn --static-swift-stdlib --scratch-path .build-static >&2
fi
