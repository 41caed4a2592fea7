package dev.weft.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The single upstream shared by every system: nginx serving a 1 KB file (HTTP/1.1 and cleartext HTTP/2), pinned
 * with the load generator, plus the in-process {@link TcpSink} for the TCP scenario and {@link GrpcBenchService}
 * for the gRPC one.
 */
final class Upstream implements AutoCloseable {

    static final int BODY_BYTES = 1024;

    private final ProxyProcess nginx;
    private final TcpSink sink;
    private final GrpcBenchService grpc;
    private final Endpoints endpoints;

    private Upstream(ProxyProcess nginx, TcpSink sink, GrpcBenchService grpc, Endpoints endpoints) {
        this.nginx = nginx;
        this.sink = sink;
        this.grpc = grpc;
        this.endpoints = endpoints;
    }

    static Upstream start(BenchSettings settings, Path configsDir) {
        try {
            Path www = Files.createDirectories(settings.workDir().resolve("www"));
            Files.writeString(www.resolve(settings.path().substring(1)), body(), StandardCharsets.US_ASCII);
            TcpSink sink = TcpSink.start();
            GrpcBenchService grpc = GrpcBenchService.start();
            Endpoints endpoints = new Endpoints(LoopbackPorts.free(), LoopbackPorts.free(), sink.port(), grpc.port());
            String conf = ConfigTemplate.render(Files.readString(configsDir.resolve("upstream-nginx.conf")), Map.of(
                    "workdir", settings.workDir().toString(),
                    "upstream_http1", Integer.toString(endpoints.http1()),
                    "upstream_http2", Integer.toString(endpoints.http2())));
            Path confFile = settings.workDir().resolve("upstream-nginx.conf");
            Files.writeString(confFile, conf);
            List<String> command = settings.pinnedToLoadCpus(List.of("nginx", "-p", settings.workDir().toString(),
                    "-e", settings.workDir().resolve("upstream-nginx.error.log").toString(), "-c", confFile.toString()));
            ProxyProcess nginx = ProxyProcess.start(command, ProxyProcess.servesAndAccepts(endpoints, settings.path()),
                    settings.workDir().resolve("upstream-nginx.out"));
            return new Upstream(nginx, sink, grpc, endpoints);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** 1,024 printable bytes ending in a newline, so a body is easy to eyeball with curl. */
    static String body() {
        String line = "weft-bench-1kb-".repeat(5).substring(0, 63) + "\n";
        return line.repeat(BODY_BYTES / 64);
    }

    Endpoints endpoints() {
        return endpoints;
    }

    TcpSink sink() {
        return sink;
    }

    @Override
    public void close() {
        nginx.close();
        sink.close();
        grpc.close();
    }
}
