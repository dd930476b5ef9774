#!/usr/bin/env bash
# Checks that a change of layout changed no behaviour: runs the same emkit commands with the jar built from
# this tree and with one built from an earlier commit, and compares every byte printed and every model file
# written. Used for the package restructure ("Rooms for the models"); run it after any change meant to be
# behaviour-neutral.
#
#   emkit-cli/src/test/scripts/compare-outputs.sh OLD_COMMIT        # exit 0 when all outputs are identical
#
# Needs Java 17 and Maven; builds OLD_COMMIT in a temporary worktree that it removes afterwards.
set -euo pipefail
old="${1:?usage: compare-outputs.sh OLD_COMMIT}"
root="$(cd "$(dirname "$0")/../../../.." && pwd)"
work="$(mktemp -d)"
trap 'git -C "$root" worktree remove --force "$work/tree" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT INT TERM

git -C "$root" worktree add --detach -q "$work/tree" "$old"
for tree in "$work/tree" "$root"; do
  (cd "$tree" && mvn -B -q -pl emkit-cli -am package -DskipTests >/dev/null)
done

ex="$root/examples"
commands=(
  "fit $ex/faithful.csv --components 2"
  "fit $ex/faithful.csv --components 2 --json --model-out @/faithful.json"
  "fit $ex/faithful.csv --components 3 --covariance EEE --n-init 3 --seed 7 --model-out @/faithful-eee.json"
  "fit $ex/iris.csv --components 3 --covariance VEV --json --model-out @/iris-vev.json"
  "fit $ex/iris.csv --components 3 --init hc --model-out @/iris-hc.json"
  "fit $ex/iris-gaps.csv -k 3 --n-init 5 --model-out @/iris-gaps.json"
  "fit $ex/jelly-beans.csv -k 2 --family auto --family sugar_crystals=poisson --n-init 5 --model-out @/beans.json"
  "kmeans $ex/iris.csv -k 3 --n-init 4 --model-out @/iris-kmeans.json"
  "select $ex/faithful.csv --components 1-4"
  "hmm sample --model $ex/hmm-two-regimes.json --length 300 --sequences 3 --seed 1 --out @/walk.csv"
  "hmm fit @/walk.csv --states 2 --seed 3 --model-out @/walk-hmm.json"
  "predict --model @/faithful.json $ex/faithful.csv --proba"
  "score --model @/iris-vev.json $ex/iris.csv"
  "kmeans $ex/iris.csv -k 4 --model-out @/iris-kmeans-search.json"
  "sample --model @/faithful.json --n 5 --seed 2 --labels"
  "sample --model @/faithful.json --n -1"
  "kmeans $ex/iris.csv -k 0"
  "hmm sample --model $ex/hmm-two-regimes.json --length 0"
  "hmm sample --model $ex/hmm-two-regimes.json --length 5 --sequences 0"
  "hmm fit @/walk.csv --states 0"
  "hmm fit @/walk.csv --states 2 --mix 0"
  "hmm fit @/walk.csv --states 2 --transition-prior 0.5"
  # The help pages and usage errors of options that shared mixins declare.
  "fit --help"
  "kmeans --help"
  "select --help"
  "predict --help"
  "score --help"
  "sample --help"
  "impute --help"
  "hmm fit --help"
  "hmm decode --help"
  "hmm score --help"
  "hmm sample --help"
  "fit $ex/faithful.csv -k 2 --passes 2"
  "kmeans $ex/iris.csv -k 3 --shuffle"
  "kmeans $ex/iris.csv -k 3 --step-exponent 0.7"
  "fit $ex/faithful.csv -k 2 --mini-batch 50 --step-exponent 0.2"
  "kmeans $ex/iris.csv -k 3 --mini-batch 40 --passes 2 --shuffle --seed 3"
  "fit $ex/faithful.csv -k 2 --mini-batch 50 --passes 2 --step-exponent 0.7 --shuffle --model-out @/faithful-mb.json"
  "fit $ex/faithful.csv -k 2 --df 3"
  "select $ex/faithful.csv -k 1-2 --distribution t --df-constraint fixed"
  "fit $ex/faithful.csv -k 2 --distribution t --df-constraint equal --model-out @/faithful-t.json"
  "hmm fit @/walk.csv --states 2 --duration poisson:20 --seed 3 --model-out @/walk-hsmm.json"
  "fit $ex/faithful.csv -k 2 --noise --json --model-out @/faithful-noise.json"
  "fit $ex/iris.csv -k 3 --covariance mfa:2 --json --model-out @/iris-mfa.json"
  # The t factor analysers and each bounded k-means scan (their shared M-step and nearest-centroid search).
  "fit $ex/iris.csv -k 3 --distribution t --covariance mfa:2 --json --model-out @/iris-tmfa.json"
  "kmeans $ex/iris.csv -k 5 --algorithm hamerly --n-init 3 --model-out @/iris-hamerly.json"
  "kmeans $ex/iris.csv -k 5 --algorithm elkan --n-init 3 --model-out @/iris-elkan.json"
  "kmeans $ex/iris.csv -k 5 --algorithm yinyang --n-init 3 --model-out @/iris-yinyang.json"
)
status=0
for side in old new; do
  mkdir -p "$work/$side"
  if [[ $side == old ]]; then jar="$work/tree/emkit-cli/target/emkit.jar"; else jar="$root/emkit-cli/target/emkit.jar"; fi
  for i in "${!commands[@]}"; do
    cmd="${commands[$i]//@/$work/$side}"
    # shellcheck disable=SC2086
    (cd "$work/$side" && java --add-modules jdk.incubator.vector -jar "$jar" $cmd \
        >"$work/$side/out-$i.txt" 2>"$work/$side/err-$i.txt"; echo "exit $?" >>"$work/$side/out-$i.txt") || true
    # The folder differs by side, and a model file's provenance records when it was written.
    sed -i -e "s|$work/$side|DIR|g" -e 's|"date" : "[^"]*"|"date" : "DATE"|' \
        "$work/$side"/*.txt "$work/$side"/*.json "$work/$side"/*.csv 2>/dev/null || true
  done
done
for f in "$work/old"/*; do
  [[ -d $f ]] && continue
  name="$(basename "$f")"
  if ! cmp -s "$f" "$work/new/$name"; then
    echo "DIFFERS: $name"; diff "$f" "$work/new/$name" | head -20 || true; status=1
  fi
done
echo "compared $(ls "$work/old" | wc -l) files from ${#commands[@]} commands: $([[ $status == 0 ]] && echo identical || echo DIFFERENT)"
exit $status
