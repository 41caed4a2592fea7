#!/usr/bin/env bash
# Start-up with and without JDK 25's ahead-of-time cache: exec to the first proxied 200 of a one-hop weft-proxy
# (ProxyJvm's flags, the build of bench/build.sh), five times each. The cache is made as weft up makes it: one
# recorded run (-XX:AOTMode=record, with 200 requests), then -XX:AOTMode=create. Upstream: python3 -m http.server.
# Fixed loopback ports 18090/18091. Run on a quiet machine.
set -u
J=${WEFT_PROXY_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
work=${WEFT_BENCH_WORK:-$(cd "$(dirname "$0")" && pwd)/target/work}
CP="$(cat $work/proxy.cp)"
FLAGS="-XX:+UseSerialGC -Xms8m -Xmx64m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -Xss256k -XX:ReservedCodeCacheSize=32m -XX:MaxMetaspaceSize=96m --enable-native-access=ALL-UNNAMED -XX:+UseCompactObjectHeaders --sun-misc-unsafe-memory-access=allow"
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
run() { # $@ extra flags; prints ms from exec to first 200
  s=$(date +%s%N); $J $FLAGS "$@" -cp "$CP" dev.weft.proxy.ProxyMain --bootstrap $D/b.yaml > $D/p.log 2>&1 & P=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:18091/1kb)" = 200 ]; do sleep 0.01; done
  e=$(date +%s%N); echo $(( (e - s) / 1000000 )); kill $P; wait $P 2>/dev/null
}
rm -f $D/c.aot
s=$(date +%s%N); $J $FLAGS -XX:AOTMode=record -XX:AOTConfiguration=$D/c.conf -cp "$CP" dev.weft.proxy.ProxyMain --bootstrap $D/b.yaml > $D/r.log 2>&1 & P=$!
until [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:18091/1kb)" = 200 ]; do sleep 0.01; done
for i in $(seq 1 200); do curl -s -o /dev/null http://127.0.0.1:18091/1kb; done; kill $P; wait $P 2>/dev/null
$J $FLAGS -XX:AOTMode=create -XX:AOTConfiguration=$D/c.conf -XX:AOTCache=$D/c.aot -cp "$CP" > $D/create.log 2>&1
echo "without: $(run) $(run) $(run) $(run) $(run) ms"
echo "with AOT cache: $(run -XX:AOTCache=$D/c.aot) $(run -XX:AOTCache=$D/c.aot) $(run -XX:AOTCache=$D/c.aot) $(run -XX:AOTCache=$D/c.aot) $(run -XX:AOTCache=$D/c.aot) ms"
kill $UP
