#!/usr/bin/python3
"""Merges DIR/part-*/raw.tsv (run.sh runs of the same suite made side by side, e.g. one per tool)
into DIR/raw.tsv, in cases.tsv order, keeping the first row of each (case, tool).

    /usr/bin/python3 emkit-bench/search/merge-parts.py DIR
"""
import glob
import os
import sys

from common import read_cases

out = sys.argv[1]
rows, header = {}, None
for p in sorted(glob.glob(os.path.join(out, "part-*", "raw.tsv"))):
    with open(p) as f:
        header = next(f)
        for line in f:
            c = line.rstrip("\n").split("\t")
            if len(c) == 6:
                rows.setdefault((c[0], c[1]), line)
with open(os.path.join(out, "raw.tsv"), "w") as f:
    f.write(header)
    for case in read_cases():
        for tool in ("emkit", "sklearn", "mclust"):
            if (case["id"], tool) in rows:
                f.write(rows[(case["id"], tool)])
print(f"{len(rows)} rows", file=sys.stderr)
