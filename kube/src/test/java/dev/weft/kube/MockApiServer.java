package dev.weft.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * fabric8's mock API server in CRUD mode on loopback (port 0), which can be stopped and started again on the same
 * port with the objects it held: a restarted API server in front of the same etcd.
 */
public final class MockApiServer implements AutoCloseable {

    /** The mock logs every request at INFO; held here so the level sticks. */
    private static final Logger REQUEST_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    static {
        REQUEST_LOG.setLevel(Level.WARNING);
    }

    private final KubernetesCrudDispatcher objects = new KubernetesCrudDispatcher();
    /** Requests answered by the test instead of the stored objects, by "METHOD /path". */
    private final Map<String, Function<RecordedRequest, MockResponse>> answers = new ConcurrentHashMap<>();
    private KubernetesMockServer server;
    private final int port;

    public MockApiServer() {
        server = started(0);
        port = server.getPort();
    }

    private KubernetesMockServer started(int onPort) {
        Dispatcher dispatcher = new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                var answer = answers.get(request.getMethod() + " " + request.getPath().replaceFirst("\\?.*", ""));
                return answer != null ? answer.apply(request) : objects.dispatch(request);
            }
        };
        KubernetesMockServer started = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                dispatcher, false);
        started.init(InetAddress.getLoopbackAddress(), onPort);
        return started;
    }

    /** A real fabric8 client for this server; it follows the server across a restart (same port). */
    public KubernetesClient client() {
        return server.createClient();
    }

    /**
     * Answers {@code method path} (no query) with {@code answer} instead of the stored objects: an API with no objects
     * behind it, as TokenReview, or what a controller the mock lacks would say.
     */
    public void answer(String method, String path, Function<RecordedRequest, MockResponse> answer) {
        answers.put(method + " " + path, answer);
    }

    /** The requests served since the last call ({@code GET /api/v1/pods?watch=true}), oldest first. */
    List<String> requests() throws InterruptedException {
        List<String> requests = new ArrayList<>();
        for (RecordedRequest r = server.takeRequest(0, TimeUnit.SECONDS); r != null;
                r = server.takeRequest(0, TimeUnit.SECONDS)) {
            requests.add(r.getMethod() + " " + r.getPath());
        }
        return requests;
    }

    void stop() {
        server.destroy();
    }

    void restart() {
        server = started(port);
    }

    @Override
    public void close() {
        server.destroy();
    }
}
