#!/bin/bash
cd "$(dirname "$0")/../../../.."
tail -n +2 emkit-bench/search/cases.tsv | while IFS=$'\t' read -r id file columns k cov; do
  a=$(./emkit fit "$file" --columns "$columns" --components "$k" --covariance "$cov" --n-init 1 --json 2>/dev/null | jq -r '[.n_iter,.log_likelihood]|@tsv')
  b=$(./emkit fit "$file" --columns "$columns" --components "$k" --covariance "$cov" --n-init 1 --accelerate none --tol 1e-3 --json 2>/dev/null | jq -r '[.n_iter,.log_likelihood]|@tsv')
  c=$(./emkit fit "$file" --columns "$columns" --components "$k" --covariance "$cov" --n-init 1 --accelerate none --json 2>/dev/null | jq -r '[.n_iter,.log_likelihood]|@tsv')
  printf '%s\t%s\t%s\t%s\n' "$id" "$a" "$b" "$c"
done
