#!/usr/bin/env bash
# Remakes the tutorial's pictures and outputs (docs/tutorial.md) with the emkit of this tree:
#   bash docs/make-figures.sh
# Writes docs/figures/*.png and docs/figures/*.txt (the outputs quoted in the tutorial) and the
# sampled data sets under docs/figures/data/. Every run is seeded: the same tree gives the same files.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
EMKIT=./emkit
OUT=docs/figures
mkdir -p "$OUT/data"
run() { # run NAME CMD...: runs an emkit command, keeps what it printed (both streams) in NAME.txt
  local name=$1; shift
  echo "\$ emkit ${*:2}" | sed "s#$OUT/##g" > "$OUT/$name.txt"
  "$@" > "$OUT/$name.out" 2> "$OUT/$name.err"
  cat "$OUT/$name.out" "$OUT/$name.err" | sed "s#$OUT/##g" >> "$OUT/$name.txt"
  rm -f "$OUT/$name.out" "$OUT/$name.err"
}

# 1. One dimension: half the rows from N(0.6, 0.003), half from N(0.02, 0.03) (variances).
$EMKIT sample --model examples/two-gaussians-1d.json --n 500 --seed 1 --out "$OUT/data/one-d.csv"
run one-d $EMKIT fit "$OUT/data/one-d.csv" -k 2 --plot "$OUT/one-d.png"

# 2. Two dimensions: two correlated normals.
$EMKIT sample --model examples/two-normals-2d.json --n 400 --seed 2 --out "$OUT/data/two-d.csv"
run two-d $EMKIT fit "$OUT/data/two-d.csv" -k 2 --plot "$OUT/two-d.png"

# 3. Old Faithful, with the model kept for later steps.
run faithful $EMKIT fit examples/faithful.csv -k 2 --model-out "$OUT/data/faithful.json" \
    --plot "$OUT/faithful.png"
$EMKIT plot --model "$OUT/data/faithful.json" examples/faithful.csv --dims waiting --out "$OUT/faithful-waiting.png" \
    --width 800 --height 500

# 4. Hard and soft assignments: the responsibilities of the rows the model is least sure about.
$EMKIT predict --model "$OUT/data/faithful.json" examples/faithful.csv --proba --out "$OUT/data/faithful-proba.csv"
{
  echo "\$ emkit predict --model faithful.json examples/faithful.csv --proba --out faithful-proba.csv"
  echo "\$ # the rows whose largest responsibility is below 0.99, beside the data:"
  paste -d, examples/faithful.csv "$OUT/data/faithful-proba.csv" | head -n 1
  paste -d, examples/faithful.csv "$OUT/data/faithful-proba.csv" | awk -F, 'NR > 1 && $4 < 0.99 && $5 < 0.99' 
} > "$OUT/soft.txt"
#    Three components on the same data overlap: the rows between them are drawn fainter.
run soft-three $EMKIT fit examples/faithful.csv -k 3 --covariance EEE --plot "$OUT/soft-three.png"

# 5. k-means as hard EM.
run kmeans $EMKIT kmeans examples/faithful.csv --clusters 2 --plot "$OUT/kmeans.png"

# 6. Local optima and restarts: one random start (no search) with a loose tolerance stops on a plateau;
#    the default tight tolerance and six random starts, every run's log-likelihood per iteration.
run stuck $EMKIT fit examples/faithful.csv -k 2 --init random --n-init 1 --tol 0.001 --seed 3
run restarts $EMKIT fit examples/faithful.csv -k 2 --init random --n-init 6 --tol 1e-8 --max-iter 300 --seed 3 \
    --plot-trace "$OUT/restarts.png"

# 7. Iris, four columns: every pair of columns.
run iris $EMKIT fit examples/iris.csv -k 3 --n-init 5 --plot "$OUT/iris.png" --quiet
# ... and the uncertainty of each row's component, and the density over the petals (the user guide's pictures).
run iris-uncertainty $EMKIT fit examples/iris.csv -k 3 --n-init 5 --plot "$OUT/iris-uncertainty.png" \
    --plot-what uncertainty --quiet
run iris-density $EMKIT fit examples/iris.csv -k 3 --n-init 5 --columns petal_length,petal_width \
    --plot "$OUT/iris-density.png" --plot-what density --quiet

# The choice of the model (the user guide's "Choosing the model"): BIC against K per structure.
run select-faithful $EMKIT select examples/faithful.csv --plot "$OUT/select-faithful-bic.png"
echo "pictures and outputs written to $OUT"
