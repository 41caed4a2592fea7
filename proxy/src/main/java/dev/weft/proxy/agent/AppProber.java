package dev.weft.proxy.agent;

import dev.weft.proxy.transport.GrpcChannels;
import io.grpc.CallOptions;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Runs an app's original probe as the kubelet would and answers as Istio's agent does: an HTTP probe's status
 * mirrors the app's (a redirect counts as 200, as the kubelet counts it a success) with at most 10 KiB of its body;
 * a TCP connect or a gRPC health check answers 200, or 500 when it fails. A probe that cannot reach the app in its
 * timeout is a 500. Blocking: run it on a thread of its own, never an event loop.
 */
final class AppProber {

    /** What the agent answers the kubelet. */
    record Result(int status, String body) {
    }

    private static final Logger LOG = Logger.getLogger(AppProber.class.getName());
    private static final int MAX_BODY = 10 * 1024;
    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "keep-alive", "transfer-encoding",
            "content-length", "upgrade", "te", "trailer", "proxy-connection");

    private final String destination;

    /** @param destination where the app listens: the pod's IP (Kubernetes' choice), or localhost */
    AppProber(String destination) {
        this.destination = destination;
    }

    /**
     * @param incoming the kubelet's request headers (lower-case names): forwarded to an HTTP probe, the prober's own
     *     headers taking precedence, as Istio's agent does
     */
    Result run(AppProbe probe, Map<String, String> incoming) {
        try {
            return switch (probe) {
                case AppProbe.HttpGet get -> httpGet(get, incoming);
                case AppProbe.TcpSocket tcp -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(host(tcp.host()), tcp.port()), millis(tcp.timeout()));
                    }
                    yield new Result(200, "");
                }
                case AppProbe.Grpc grpc -> grpcCheck(grpc, incoming.get("user-agent"));
            };
        } catch (IOException | GeneralSecurityException | StatusRuntimeException e) {
            LOG.fine(() -> "app probe " + probe + " failed: " + e);
            return new Result(500, "");
        }
    }

    private String host(String probeHost) {
        return probeHost.isEmpty() ? destination : probeHost;
    }

    private Result httpGet(AppProbe.HttpGet get, Map<String, String> incoming)
            throws IOException, GeneralSecurityException {
        String host = host(get.host());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", (host.contains(":") ? "[" + host + "]" : host) + ":" + get.port());
        incoming.forEach((name, value) -> {
            if (!NOT_FORWARDED.contains(name)) {
                headers.put(name, value);
            }
        });
        headers.putIfAbsent("user-agent", "kube-probe/weft");
        headers.putIfAbsent("accept", "*/*");
        for (Map.Entry<String, String> h : get.headers()) {
            headers.keySet().removeIf(name -> name.equalsIgnoreCase(h.getKey()));
            headers.put(h.getKey().equalsIgnoreCase("host") ? "Host" : h.getKey(), h.getValue());
        }
        BoundedHttpGet.Response response = BoundedHttpGet.fetch(host, get.port(), get.https(), get.path(), headers,
                get.timeout(), MAX_BODY);
        if (response.status() >= 300 && response.status() < 400) {
            return new Result(200, "");
        }
        return new Result(response.status(), new String(response.body(), StandardCharsets.UTF_8));
    }

    private Result grpcCheck(AppProbe.Grpc probe, String userAgent) {
        var builder = GrpcChannels.forAddress(destination, probe.port(), InsecureChannelCredentials.create());
        if (userAgent != null) {
            builder.userAgent(userAgent);
        }
        ManagedChannel channel = builder.build();
        try {
            int status = ClientCalls.blockingUnaryCall(channel, GrpcHealthCheck.CHECK,
                    CallOptions.DEFAULT.withDeadlineAfter(probe.timeout().toMillis(), TimeUnit.MILLISECONDS),
                    probe.service());
            return new Result(status == GrpcHealthCheck.SERVING ? 200 : 500, "");
        } finally {
            channel.shutdownNow();
        }
    }

    private static int millis(Duration timeout) {
        return (int) Math.min(timeout.toMillis(), Integer.MAX_VALUE);
    }
}
