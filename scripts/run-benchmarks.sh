#!/bin/sh
# Runs every benchmark program and prints its figures (make bench).
set -e
BUILD=${1:-build}
"$BUILD/bench/engine/bench_scenarios"
"$BUILD/bench/engine/bench_engine" "${BENCH_EXECUTIONS:-200}" "${BENCH_TASKS:-10}"
"$BUILD/bench/expr/bench_expr" "${BENCH_EXPR_ITERATIONS:-200000}"
