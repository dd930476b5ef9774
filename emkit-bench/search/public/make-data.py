#!/usr/bin/python3
"""Writes the public holdout grid's data sets and its cases file.

    /usr/bin/python3 emkit-bench/search/public/make-data.py      # data/ (git-ignored) and cases.tsv

Public data sets the search was never tuned on (the main grid's public sets are Old Faithful and iris only),
as issue 21's hidden grid has them: each fitted with K = 2, 3, 4 and the four structures full, diag,
spherical and tied (mclust's VVV, VVI, VII, EEE), 12 cases a set. Real data bring what generated data do
not: rounded and tied values, discrete columns, outliers, columns on scales 10^4 apart, few rows for
their dimension.

* from scikit-learn's bundled data (Debian's python3-sklearn): wine (178 x 13), diabetes (442 x 10, its
  standardised features);
* from R (Debian's r-base-core and r-cran-mclust; `Rscript` must be on the path): USArrests (50 x 4),
  quakes (1000 x 5), swiss (47 x 6), and mclust's banknote (200 x 6, the measurements), thyroid
  (215 x 5), diabetes (145 x 3, Reaven and Miller's chemical diabetes), wreath (1000 x 2) and GvHD.pos
  (9083 x 4, flow cytometry).

The values are written as R and scikit-learn hold them (`repr` of the doubles), so the files are the
same on every run of the same packages (data.sha256).
"""
import csv
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
COVARIANCES = ("full", "diag", "spherical", "tied")

# name: R expression giving a numeric data frame (columns renamed to x1..xd below)
R_SETS = {
    "usarrests": "datasets::USArrests",
    "quakes": "datasets::quakes",
    "swiss": "datasets::swiss",
    "banknote": "mclust::banknote[, -1]",
    "thyroid": "mclust::thyroid[, -1]",
    "chemdiab": "mclust::diabetes[, -1]",
    "wreath": "mclust::wreath",
    "gvhd": "mclust::GvHD.pos",
}


def sklearn_sets():
    from sklearn import datasets
    return {
        "wine": datasets.load_wine().data,
        "diabetes": datasets.load_diabetes().data,
    }


def write(name, rows):
    d = len(rows[0])
    with open(os.path.join(DATA, name + ".csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow([f"x{j + 1}" for j in range(d)])
        for r in rows:
            w.writerow([repr(float(v)) for v in r])
    return d, len(rows)


def r_rows(expression):
    script = ("x <- as.matrix(" + expression + "); storage.mode(x) <- 'double'; "
              "write.table(format(x, digits = 17, scientific = FALSE, trim = TRUE), "
              "stdout(), sep = ',', quote = FALSE, row.names = FALSE, col.names = FALSE)")
    out = subprocess.run(["Rscript", "-e", "suppressMessages(library(mclust)); " + script],
                         check=True, capture_output=True, text=True).stdout
    return [[float(v) for v in line.split(",")] for line in out.splitlines() if line]


def main():
    os.makedirs(DATA, exist_ok=True)
    shapes = {}
    for name, x in sklearn_sets().items():
        shapes[name] = write(name, x.tolist())
    for name, expression in R_SETS.items():
        shapes[name] = write(name, r_rows(expression))
    with open(os.path.join(HERE, "cases.tsv"), "w") as f:
        f.write("id\tfile\tcolumns\tK\tcovariance\n")
        for name in sorted(shapes):
            d, n = shapes[name]
            cols = ",".join(f"x{j + 1}" for j in range(d))
            for k in (2, 3, 4):
                for c in COVARIANCES:
                    f.write(f"{name}-k{k}-{c}\temkit-bench/search/public/data/{name}.csv\t{cols}\t{k}\t{c}\n")
            print(f"{name}: {n} x {d}", file=sys.stderr)


if __name__ == "__main__":
    main()
