#!/bin/sh
# A long fuzz campaign measured in CPU time, not wall time: each target runs
# (all at once, at the lowest priority, so that builds and tests on the
# same machine are not slowed) until its process has used CPU_SECONDS of
# CPU, then gets SIGINT and prints libFuzzer's final stats.
#   scripts/fuzz_campaign.sh BINDIR OUTDIR [CPU_SECONDS=1800] [targets...]
# BINDIR holds fuzz_<target> and seeds/<target> (a copy of
# build-fuzz/test/fuzz, so rebuilding does not pull binaries from under a
# running campaign); OUTDIR gets corpus/, findings/ and <target>.log.
# FUZZ_NICE (default 19): the priority the targets run at.
# FUZZ_UNIT_TIMEOUT (seconds, default 10): the wall time one input may take;
# at nice 19 on a loaded machine a normal input can wait longer than that.
set -u
bindir=$1; out=$2; budget=${3:-1800}; shift 3 2>/dev/null || shift $#
targets=${*:-"yaml_spec yaql jinja json http_router cron"}
src=$(cd "$(dirname "$0")/.." && pwd)
tck=$(getconf CLK_TCK)
export ASAN_OPTIONS=detect_leaks=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
pids=""
for t in $targets; do
  mkdir -p "$out/corpus/$t" "$out/findings/$t"
  nice -n ${FUZZ_NICE:-19} "$bindir/fuzz_$t" -seed=7 -timeout=${FUZZ_UNIT_TIMEOUT:-10} -rss_limit_mb=4096 -max_len=16384 \
    -print_final_stats=1 -dict="$src/test/fuzz/$t.dict" -artifact_prefix="$out/findings/$t/" \
    "$out/corpus/$t" "$bindir/seeds/$t" > "$out/$t.log" 2>&1 &
  pids="$pids $!:$t"
done
cpu_of() { awk -v tck="$tck" '{print int(($14+$15)/tck)}' "/proc/$1/stat" 2>/dev/null; }
while :; do
  alive=0
  for pt in $pids; do
    p=${pt%%:*}; t=${pt#*:}
    [ -d "/proc/$p" ] || continue
    alive=1
    c=$(cpu_of "$p"); [ -n "$c" ] && [ "$c" -ge "$budget" ] && { echo "$t: $c CPU-s used, stopping"; kill -INT "$p"; }
  done
  [ $alive = 1 ] || break
  sleep 10
done
status=0
for pt in $pids; do
  t=${pt#*:}
  if ls "$out/findings/$t" | grep -q .; then status=1; echo "$t: FINDING in $out/findings/$t"; else
    echo "$t: $(grep -o 'stat::number_of_executed_units: *[0-9]*' "$out/$t.log" | grep -o '[0-9]*$') execs, $(ls "$out/corpus/$t" | wc -l) corpus inputs, no finding"; fi
done
exit $status
