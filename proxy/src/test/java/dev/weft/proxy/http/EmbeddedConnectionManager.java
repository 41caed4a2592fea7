package dev.weft.proxy.http;

import dev.weft.proxy.EmbeddedBytes;
import dev.weft.proxy.ManualTicker;
import dev.weft.proxy.Protos;
import dev.weft.proxy.filter.FilterContext;
import dev.weft.proxy.server.ProxyOptions;
import dev.weft.proxy.snapshot.ProxySnapshot;
import dev.weft.proxy.stats.Stats;
import dev.weft.proxy.transport.Transport;
import dev.weft.proxy.upstream.UpstreamWorker;
import dev.weft.proxy.runtime.RuntimeFlags;
import dev.weft.proxy.worker.WorkerContext;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A connection manager on a Netty {@link EmbeddedChannel}: bytes in, bytes out, and time moved by hand, with no
 * socket and no thread. Its routes answer locally (direct responses), so no upstream is involved.
 */
final class EmbeddedConnectionManager {

    /** Routes every test here uses: /ok answers 200 "ok", /teapot 418. */
    static final String ROUTES = """
            route_config:
              virtual_hosts:
              - name: all
                domains: [ "*" ]
                routes:
                - match: { prefix: /teapot }
                  direct_response: { status: 418, body: { inline_string: teapot } }
                - match: { prefix: / }
                  direct_response: { status: 200, body: { inline_string: ok } }
            http_filters:
            - name: envoy.filters.http.router
              typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router }
            """;

    final EmbeddedChannel channel = new EmbeddedChannel();
    final ManualTicker ticker = new ManualTicker();
    final Stats stats = new Stats();
    final HttpConnectionManagerConfig config;

    /** {@code options} is more HttpConnectionManager fields (YAML), or "". */
    EmbeddedConnectionManager(String options) {
        HttpConnectionManager proto = Protos.fromYaml("stat_prefix: embedded\ncodec_type: AUTO\n" + ROUTES + options,
                HttpConnectionManager.newBuilder());
        config = new HttpConnectionManagerCompiler(ProxyOptions.defaultFilters(),
                prefix -> new FilterContext(ticker, SplittableRandom::new, stats, prefix),
                path -> line -> { }).compile(proto);
        WorkerContext worker = new WorkerContext(() -> ProxySnapshot.EMPTY, ticker, Clock.systemUTC(),
                new SplittableRandom(1), new UpstreamWorker(channel.eventLoop(), Transport.nio(),
                        new SplittableRandom(2), () -> ProxySnapshot.EMPTY), new RuntimeFlags());
        HttpServerPipeline.install(channel, config, worker, "");
    }

    void write(String bytes) {
        channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
        channel.runPendingTasks();
    }

    void write(ByteBuf bytes) {
        channel.writeInbound(bytes);
        channel.runPendingTasks();
    }

    /** Everything the proxy wrote so far, as text. */
    String written() {
        StringBuilder out = new StringBuilder();
        ByteBuf b;
        while ((b = channel.readOutbound()) != null) {
            out.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return out.toString();
    }

    /** Everything the proxy wrote so far, as one buffer (for HTTP/2 frames). */
    ByteBuf writtenBytes() {
        return EmbeddedBytes.written(channel);
    }

    /** Moves both the event loop's timers and the proxy's clock. */
    void advance(Duration d) {
        ticker.advance(d);
        channel.advanceTimeBy(d.toNanos(), TimeUnit.NANOSECONDS);
        channel.runPendingTasks();
        channel.runScheduledPendingTasks();
    }

    long stat(String name) {
        return stats.value("http.embedded." + name);
    }
}
