#!/usr/bin/env bash
# Builds and runs the JMH microbenchmarks of weft-proxy's hot paths (bench/jmh). Never part of ./mvnw verify.
#   bench/jmh.sh                          all benchmarks, results to bench/results/jmh-<timestamp>.json
#   bench/jmh.sh RouteMatch -p hitRoute=999   any JMH arguments (a regexp selects benchmarks)
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
work=${WEFT_BENCH_WORK:-$bench_dir/target/work}
java=${WEFT_PROXY_JAVA:-}
if [ -z "$java" ]; then
  for candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -V -r) "${JAVA_HOME:-}/"; do
    if [ -x "${candidate}bin/java" ]; then java="${candidate}bin/java"; break; fi
  done
fi

"$bench_dir/build.sh"
mkdir -p "$bench_dir/results"
stamp=$(date -u +%Y%m%d-%H%M%S)
# JMH and its forks run on CPU 0, the CPU the end-to-end harness gives the system under test.
taskset -c "${WEFT_BENCH_CPUS:-0}" "$java" -cp "$(cat "$work/jmh.cp")" org.openjdk.jmh.Main \
  -rf json -rff "$bench_dir/results/jmh-$stamp.json" "$@"
