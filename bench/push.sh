#!/usr/bin/env bash
# Control-plane push benchmark: a fresh weftd per fleet size, N simulated sidecars on real ADS streams, one
# VirtualService change, time to every sidecar's ACK; weftd heap per proxy and CPU per push.
#   bench/push.sh                          1,000, 5,000 and 10,000 proxies
#   bench/push.sh --proxies 200            any PushBenchMain option (see bench/README.md)
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
# weftd on CPU 0, the simulated fleet (this JVM) on CPU 1.
taskset -c 1 "$java" -Xmx3g -XX:MaxDirectMemorySize=4g -cp "$(cat "$work/harness.cp")" dev.weft.bench.push.PushBenchMain \
  --weftd-java "$java" --weftd-classpath "$(cat "$work/weftd.cp")" --work "$work" --out "$bench_dir/results" \
  --commit "$(cat "$work/commit")" --clock-ticks "$(getconf CLK_TCK)" "$@"
