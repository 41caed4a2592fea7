#!/usr/bin/env bash
# Start-up with and without JDK 25's ahead-of-time cache: exec to the first proxied 200 of a one-hop weft-proxy
# (ProxyJvm's flags, the build of bench/build.sh), five times each. The cache is made as weft up makes it: one
# recorded run (-XX:AOTMode=record, with 200 requests), then -XX:AOTMode=create. Upstream: python3 -m http.server.
# Fixed loopback ports 18090/18091. Run on a quiet machine.
set -u
J=${WEFT_PROXY_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
work=${WEFT_BENCH_WORK:-$(cd "$(dirname "$0")" && pwd)/target/work}
CP="$(cat $work/proxy.cp)"
root=$(cd "$(dirname "$0")/.." && pwd)
# ProxyJvm.flags for JDK 25, as the image has them (ProxyJvmTest keeps the file equal to them).
FLAGS="$(tr '\n' ' ' < "$root/proxy/src/main/jib/app/jib-jvm-flags-file")"
D=$work/startup-aot; rm -rf $D; mkdir -p $D/www; head -c 1024 /dev/zero > $D/www/1kb
(cd $D/www && exec python3 -m http.server 18090 --bind 127.0.0.1 >/dev/null 2>&1) & UP=$!
sleep 1
cat > $D/b.yaml <<YAML
static_resources:
  listeners:
  - name: l
    address: { socket_address: { address: 127.0.0.1, port_value: 18091 } }
    filter_chains:
    - filters:
      - name: envoy.filters.network.http_connection_manager
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
          stat_prefix: s
          route_config: { virtual_hosts: [ { name: all, domains: ["*"], routes: [ { match: { prefix: / }, route: { cluster: up } } ] } ] }
          http_filters: [ { name: envoy.filters.http.router, typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router } } ]
  clusters:
  - name: up
    connect_timeout: 1s
    type: STATIC
    load_assignment: { cluster_name: up, endpoints: [ { lb_endpoints: [ { endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: 18090 } } } } ] } ] }
YAML
# Waits up to 30 s for a proxied 200.
first200() {
  for _ in $(seq 1 3000); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:18091/1kb)" = 200 ] && return 0
    sleep 0.01
  done
  echo "no proxied 200 within 30 s; see $D/p.log" >&2; return 1
}
run() { # $@ extra flags; prints ms from exec to first 200
  s=$(date +%s%N); $J $FLAGS "$@" -cp "$CP" dev.weft.proxy.ProxyMain --bootstrap $D/b.yaml > $D/p.log 2>&1 & P=$!
  first200
  e=$(date +%s%N); echo $(( (e - s) / 1000000 )); kill $P; wait $P 2>/dev/null
}
rm -f $D/c.aot
s=$(date +%s%N); $J $FLAGS -XX:AOTMode=record -XX:AOTConfiguration=$D/c.conf -cp "$CP" dev.weft.proxy.ProxyMain --bootstrap $D/b.yaml > $D/r.log 2>&1 & P=$!
first200
for i in $(seq 1 200); do curl -s -o /dev/null http://127.0.0.1:18091/1kb; done; kill $P; wait $P 2>/dev/null
$J $FLAGS -XX:AOTMode=create -XX:AOTConfiguration=$D/c.conf -XX:AOTCache=$D/c.aot -cp "$CP" > $D/create.log 2>&1
echo "without: $(run) $(run) $(run) $(run) $(run) ms"
echo "with AOT cache: $(run -XX:AOTCache=$D/c.aot) $(run -XX:AOTCache=$D/c.aot) $(run -XX:AOTCache=$D/c.aot) $(run -XX:AOTCache=$D/c.aot) $(run -XX:AOTCache=$D/c.aot) ms"
kill $UP
