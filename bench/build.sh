#!/usr/bin/env bash
# Builds weft-proxy, weftd, the harness and the JMH benchmarks in a private copy of the sources under $work/src, so a
# benchmark never races other builds in the checkout's target/ directories, and writes:
#   $work/proxy.cp $work/weftd.cp $work/harness.cp $work/jmh.cp   runtime classpaths
#   $work/commit                                   what was built
# WEFT_BENCH_SOURCE=head (default) builds the committed HEAD; =worktree builds the working tree as it is.
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$bench_dir/.." && pwd)
work=${WEFT_BENCH_WORK:-$bench_dir/target/work}
src="$work/src"

rm -rf "$src"
mkdir -p "$src"
case "${WEFT_BENCH_SOURCE:-head}" in
  head)
    git -C "$root" archive HEAD | tar -x -C "$src"
    git -C "$root" rev-parse --short HEAD > "$work/commit"
    ;;
  worktree)
    tar -C "$root" --exclude=./.git --exclude='*/target' --exclude=./target -c . | tar -x -C "$src"
    echo "$(git -C "$root" rev-parse --short HEAD) + uncommitted working tree" > "$work/commit"
    ;;
  *) echo "build.sh: WEFT_BENCH_SOURCE must be head or worktree" >&2; exit 2 ;;
esac

(cd "$src" && ./mvnw -B -q ${WEFT_BENCH_MAVEN_FLAGS:-} package -Dmaven.test.skip=true -pl proxy,control-plane,bench/harness,bench/jmh -am \
  dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile=target/bench-runtime.cp)
# A CDS archive accepts jars only, so the proxy runs from its jar, with the libraries its manifest names
# (Weft-Runtime-Dependencies, as weft up picks them from its own class path): not Envoy's API jar, whose reachable
# classes the proxy's jar carries.
proxy_jar=$(ls "$src"/proxy/target/weft-proxy-*.jar)
needed=$(unzip -p "$proxy_jar" META-INF/MANIFEST.MF | tr -d '\r' | sed -e ':a' -e 'N' -e '$!ba' -e 's/\n //g' \
  | sed -n 's/^Weft-Runtime-Dependencies: //p' | tr ':' '\n' | sed 's#^.*/##')
[ -n "$needed" ] || { echo "build.sh: $proxy_jar names no Weft-Runtime-Dependencies" >&2; exit 1; }
proxy_cp=$proxy_jar
for entry in $(tr ':' ' ' < "$src/proxy/target/bench-runtime.cp"); do
  if grep -qxF "$(basename "$entry")" <<< "$needed"; then proxy_cp+=":$entry"; fi
done
echo "$proxy_cp" > "$work/proxy.cp"
echo "$src/control-plane/target/classes:$(cat "$src/control-plane/target/bench-runtime.cp")" > "$work/weftd.cp"
echo "$src/bench/harness/target/classes:$(cat "$src/bench/harness/target/bench-runtime.cp")" > "$work/harness.cp"
echo "$src/bench/jmh/target/classes:$(cat "$src/bench/jmh/target/bench-runtime.cp")" > "$work/jmh.cp"
