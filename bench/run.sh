#!/usr/bin/env bash
# One command for the whole benchmark: installs the tools (Debian), builds weft-proxy and the harness (build.sh), runs every
# scenario against direct, weft-proxy, nginx and HAProxy taking turns, and writes bench/results/<timestamp>.{md,json}.
# Each turn runs the one-hop scenarios on one proxy, then the two-hop ones on a sidecar pair with mutual TLS and on a
# plain pair.
#   bench/run.sh                  full run (2 rounds x 5 systems x 15 scenarios of 10 s, about 30 minutes)
#   bench/run.sh --quick          smoke run (1 round, 2 s measurements, 1 s warm-up)
#   bench/run.sh --rounds 3 ...   any harness option (see bench/README.md) is passed through
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
work=${WEFT_BENCH_WORK:-$bench_dir/target/work}
proxy_java=${WEFT_PROXY_JAVA:-}

need_tools() {
  for tool in wrk h2load nginx haproxy taskset unzip; do
    command -v "$tool" >/dev/null || return 0
  done
  [ -f /usr/lib/nginx/modules/ngx_stream_module.so ] || return 0
  return 1
}

if need_tools; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y wrk nghttp2-client nginx-light libnginx-mod-stream haproxy util-linux unzip
fi

if [ -z "$proxy_java" ]; then
  # The newest JDK installed runs the proxy (JDK 25 has compact object headers).
  for candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -V -r) "${JAVA_HOME:-}/"; do
    if [ -x "${candidate}bin/java" ]; then proxy_java="${candidate}bin/java"; break; fi
  done
fi
[ -n "$proxy_java" ] || { echo "run.sh: no JDK found under /usr/lib/jvm or JAVA_HOME" >&2; exit 1; }

"$bench_dir/build.sh"
mkdir -p "$work"
proxy_cp=$(cat "$work/proxy.cp")
harness_cp=$(cat "$work/harness.cp")
commit=$(cat "$work/commit")
args=(--configs "$bench_dir/configs" --work "$work" --out "$bench_dir/results" --proxy-java "$proxy_java"
      --proxy-classpath "$proxy_cp" --weftd-classpath "$(cat "$work/weftd.cp")" --commit "$commit"
      --clock-ticks "$(getconf CLK_TCK)")
if [ "${1:-}" = "--quick" ]; then
  shift
  args+=(--rounds 1 --duration 2 --warmup 1)
fi

# The harness itself (constant-rate client, TCP sink) shares CPU 1 with the load generators and upstream.
load_cpus=1
for ((i = 1; i <= $#; i++)); do
  if [ "${!i}" = "--load-cpus" ]; then j=$((i + 1)); load_cpus=${!j}; fi
done
pin=()
[ -n "$load_cpus" ] && pin=(taskset -c "$load_cpus")
"${pin[@]}" "$proxy_java" -cp "$harness_cp" dev.weft.bench.BenchMain "${args[@]}" "$@"
