package dev.weft.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * HTTP/1.1 request head parsing as weft-proxy's listener does it (the request decoder of its HttpServerCodec, with
 * the proxy's limits), for a request carrying the headers a mesh adds: request id, B3 trace headers, forwarded-for.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HeaderParsingBenchmark {

    private static final byte[] REQUEST = ("GET /reviews/0?page=2 HTTP/1.1\r\n"
            + "Host: reviews.default.svc.cluster.local:9080\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\r\n"
            + "Accept: application/json\r\n"
            + "Accept-Encoding: gzip, deflate\r\n"
            + "X-Request-Id: 7f3a6c1e-5d0b-4c52-9a8e-3f1d2b4c5a6e\r\n"
            + "X-B3-TraceId: 80f198ee56343ba864fe8b2a57d3eff7\r\n"
            + "X-B3-SpanId: e457b5a2e4d86bd1\r\n"
            + "X-B3-ParentSpanId: 05e3ac9a4f6e3b90\r\n"
            + "X-B3-Sampled: 1\r\n"
            + "X-Forwarded-Proto: http\r\n"
            + "X-Forwarded-For: 10.1.2.3\r\n"
            + "Cookie: session=2f6d0c1b9a8e7f6d5c4b3a29\r\n"
            + "\r\n").getBytes(StandardCharsets.US_ASCII);

    private EmbeddedChannel channel;
    private ByteBuf request;

    @Setup
    public void open() {
        channel = new EmbeddedChannel(new HttpRequestDecoder(new HttpDecoderConfig()
                .setMaxInitialLineLength(16 * 1024).setMaxHeaderSize(60 * 1024).setMaxChunkSize(64 * 1024)));
        request = Unpooled.unreleasableBuffer(Unpooled.directBuffer(REQUEST.length).writeBytes(REQUEST));
    }

    @TearDown
    public void close() {
        channel.finishAndReleaseAll();
    }

    @Benchmark
    public String parseRequestHead() {
        channel.writeInbound(request.retainedDuplicate());
        HttpRequest head = channel.readInbound();
        Object last = channel.readInbound();
        ReferenceCountUtil.release(last);
        return head.headers().get("x-request-id");
    }
}
