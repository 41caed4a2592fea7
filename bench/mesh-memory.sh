#!/usr/bin/env bash
# What a mesh sidecar costs as `weft up` runs it: the httpbin sample (an ingress gateway and two sidecars, ADS and
# certificates over TLS from weftd, Istio telemetry) started twice, so the second start maps the AOT cache the first
# one recorded; 100 requests through the ingress, 15 s idle, then each proxy's RSS and PSS (/proc/PID/smaps_rollup),
# loaded classes and heap. Writes bench/results/mesh-memory-<timestamp>.md.
#   bench/mesh-memory.sh [CHECKOUT ...]   each checkout's ./weft in turn (default: this one), for a before/after
# Uses the ingress port 8080 and the loopback addresses weft up plans, so no other local mesh may run. Run on a quiet
# machine; the header records load and CPU pressure before each checkout.
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
[ $# -gt 0 ] || set -- "$(cd "$bench_dir/.." && pwd)"
java_home=${WEFT_PROXY_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
out="$bench_dir/results/mesh-memory-$(date -u +%Y%m%d-%H%M%S).md"
mkdir -p "$bench_dir/results"

{
  echo "# A mesh sidecar's memory, as weft up runs it ($(date -u +%Y-%m-%dT%H:%M:%SZ))"
  echo
  echo "httpbin sample, second start (AOT cache mapped), after 100 requests through the ingress and 15 s idle."
  echo "MB are 10^6 bytes."
} > "$out"

for checkout in "$@"; do
  checkout=$(cd "$checkout" && pwd)
  state=$(mktemp -d)
  commit=$(git -C "$checkout" rev-parse --short HEAD)
  {
    echo
    echo "## \`$commit\` ($checkout)"
    echo
    echo "Machine before: load $(cut -d' ' -f1-3 /proc/loadavg), CPU pressure $(sed -n 's/^some avg10=\([^ ]*\) avg60=\([^ ]*\).*/\1 % over 10 s, \2 % over 60 s/p' /proc/pressure/cpu)."
    echo
    echo "| proxy | RSS MB | PSS MB | heap committed MB | loaded classes | AOT cache |"
    echo "|---|---:|---:|---:|---:|---|"
  } >> "$out"
  for run in 1 2; do
    log="$state/up-$run.log"
    (cd "$checkout" && WEFT_STATE_DIR="$state" exec ./weft up examples/httpbin/mesh > "$log" 2>&1) &
    for _ in $(seq 1 120); do grep -q "The mesh is up" "$log" && break; sleep 1; done
    grep -q "The mesh is up" "$log" || { echo "mesh-memory.sh: weft up did not come up, see $log" >&2; exit 1; }
    sleep 10
    for _ in $(seq 1 100); do curl -s -o /dev/null http://127.0.0.1:8080/get; done
    sleep 15
    if [ "$run" = 2 ]; then
      (cd "$checkout" && WEFT_STATE_DIR="$state" ./weft status) | awk '$2=="gateway"||$2=="sidecar"{print $1, $3}' |
        while read -r name pid; do
          rss=$(awk '/^Rss:/{printf "%.1f", $2*1024/1e6}' "/proc/$pid/smaps_rollup")
          pss=$(awk '/^Pss:/{printf "%.1f", $2*1024/1e6}' "/proc/$pid/smaps_rollup")
          heap=$("$java_home/bin/jcmd" "$pid" GC.heap_info | awk '/total/{gsub("K,","",$3); kb+=$3} END{printf "%.1f", kb*1024/1e6}')
          classes=$("$java_home/bin/jcmd" "$pid" VM.classloader_stats | awk '/^Total =/{print $4}')
          aot=$(tr '\0' '\n' < "/proc/$pid/cmdline" | sed -n 's/^-XX:AOTCache=//p')
          echo "| $name | $rss | $pss | $heap | $classes | ${aot:+$(basename "$aot")} |" >> "$out"
        done
    fi
    (cd "$checkout" && WEFT_STATE_DIR="$state" ./weft down > /dev/null 2>&1)
    wait
  done
  rm -rf "$state"
done
echo "$out"
