#!/usr/bin/env bash
# Compare onestop's optimizer with COIN-OR CBC on the very model onestop
# solved: onestop exports it as CPLEX-LP (--export-lp), CBC solves the file,
# and both results and times are printed side by side.
#
# Not a CI test. Needs Debian's coinor-cbc (apt-get install coinor-cbc).
#
# Usage: bench/cbc.sh [dataset.yaml] [model] [time limit s] [extra onestop flags...]
#   bench/cbc.sh                                          # Binh Duong, lscp, 120 s
#   bench/cbc.sh testdata/binhduong/dataset.yaml consolidate 60 --max-staff-per-point 40
#   bench/cbc.sh testdata/binhduong/dataset.yaml lscp 120 --minutes 0 --km 5   # 5 km only
set -euo pipefail

cd "$(dirname "$0")/.."
dataset=${1:-testdata/binhduong/dataset.yaml}
model=${2:-lscp}
limit=${3:-120}
shift $(( $# < 3 ? $# : 3 )) || true

command -v cbc >/dev/null || { echo "cbc not found: apt-get install coinor-cbc" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/onestop" ./cmd/onestop

start=$(date +%s.%N)
"$work/onestop" optimize --quiet --dataset "$dataset" --model "$model" \
    --time-limit "${limit}s" --out "$work/out" --export-lp "$work/model.lp" "$@" | tee "$work/onestop.txt"
end=$(date +%s.%N)
os_wall=$(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.2f", b-a}')
os_solve=$(sed -n 's/.*"seconds": \([0-9.]*\).*/\1/p' "$work/out/plan.json" | head -1)
os_obj=$(sed -n 's/.*"objective": \([-0-9.e+]*\).*/\1/p' "$work/out/plan.json" | head -1)
os_lb=$(sed -n 's/.*"lower_bound": \([-0-9.e+]*\).*/\1/p' "$work/out/plan.json" | head -1)
os_gap=$(sed -n 's/.*"gap_pct": \([-0-9.e+]*\).*/\1/p' "$work/out/plan.json" | head -1)

echo "LP file: $(wc -c < "$work/model.lp") bytes"
start=$(date +%s.%N)
cbc "$work/model.lp" sec "$limit" solve quit > "$work/cbc.txt" 2>&1 || true
end=$(date +%s.%N)
cbc_wall=$(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.2f", b-a}')
cbc_status=$(grep -m1 '^Result - ' "$work/cbc.txt" | sed 's/^Result - //' || echo "no result")
cbc_obj=$(grep -m1 'Objective value:' "$work/cbc.txt" | awk '{print $3}' || true)
cbc_lb=$(grep -m1 'Lower bound:' "$work/cbc.txt" | awk '{print $3}' || true)
cbc_gap=$(grep -m1 'Gap:' "$work/cbc.txt" | awk '{print $2}' || true)

printf '\n%-10s %-18s %-18s %-10s %-12s %-12s\n' solver objective bound gap solve_s wall_s
printf '%-10s %-18s %-18s %-10s %-12s %-12s\n' onestop "${os_obj:-?}" "${os_lb:-?}" "${os_gap:-?}%" "${os_solve:-?}" "$os_wall"
printf '%-10s %-18s %-18s %-10s %-12s %-12s\n' cbc "${cbc_obj:-none}" "${cbc_lb:-n/a}" "${cbc_gap:-n/a}" "-" "$cbc_wall"
echo "cbc: $cbc_status"
