package dev.weft.examples.curl;

import dev.weft.examples.app.AppMain;
import dev.weft.examples.app.Env;
import dev.weft.examples.app.HttpApp;
import dev.weft.examples.app.ListenAddress;
import dev.weft.examples.app.PeerClient;
import dev.weft.examples.app.PeerReply;
import dev.weft.examples.app.PropagatedHeaders;
import dev.weft.examples.app.Request;
import dev.weft.examples.app.Response;
import dev.weft.examples.app.RunningApp;
import dev.weft.examples.app.Routes;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A client inside the mesh, in the role of Istio's curl sample (where a task runs {@code kubectl exec curl --
 * curl URL}): {@code GET /fetch?url=URL} makes one GET through the app's proxy, its sidecar, and reports the
 * answer as JSON, so a test sees exactly what an app in the mesh sees. Each {@code header=Name: value} parameter
 * adds a request header, as {@code curl -H} does (Istio's JWT tasks send {@code Authorization: Bearer TOKEN}).
 */
public final class Curl {
    public static final String NAME = "curl";

    /**
     * @param listen  where to listen, env {@code BIND}/{@code PORT} (default 8080)
     * @param proxy   where outbound calls go, env {@code HTTP_PROXY}/{@code http_proxy} (direct without it)
     * @param timeout how long one fetch may take, env {@code FETCH_TIMEOUT} (default 10s)
     */
    public record Config(ListenAddress listen, Optional<InetSocketAddress> proxy, Duration timeout) {
        public static Config fromEnv(Env env) {
            return new Config(ListenAddress.fromEnv(env, 8080), env.httpProxy(),
                    env.duration("FETCH_TIMEOUT", Duration.ofSeconds(10)));
        }
    }

    private Curl() {
    }

    public static void main(String[] args) {
        AppMain.run(NAME, args, AppMain.fromEnv(Config::fromEnv), Curl::start);
    }

    public static RunningApp start(Config config) {
        PeerClient client = PeerClient.create(config.proxy());
        Routes routes = Routes.builder().get("/fetch", request -> fetch(client, config.timeout(), request)).build();
        return HttpApp.start(NAME, config.listen(), routes, client);
    }

    /**
     * 200 with {@code {url, status, body}} for any answer, {@code {url, error}} when none came; 400 for a bad URL or
     * a header parameter without {@code Name: value}.
     */
    private static Response fetch(PeerClient client, Duration timeout, Request request) {
        List<String> urls = request.query().getOrDefault("url", List.of());
        Optional<URI> url = urls.size() == 1 ? httpUrl(urls.getFirst()) : Optional.empty();
        if (url.isEmpty()) {
            return Response.json(400, Map.of("error", "give exactly one url=http://host[:port]/path to fetch"));
        }
        PropagatedHeaders headers = PropagatedHeaders.from(request.headers());
        for (String header : request.query().getOrDefault("header", List.of())) {
            int colon = header.indexOf(':');
            if (colon <= 0) {
                return Response.json(400, Map.of("error", "a header parameter is Name: value, not " + header));
            }
            headers = headers.with(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("url", url.get().toString());
        switch (client.get(url.get(), headers, timeout)) {
            case PeerReply.Answer answer -> {
                result.put("status", answer.status());
                result.put("body", answer.body());
            }
            case PeerReply.NoAnswer none -> result.put("error", none.reason());
        }
        return Response.json(200, result);
    }

    private static Optional<URI> httpUrl(String text) {
        try {
            URI uri = URI.create(text);
            return "http".equals(uri.getScheme()) && uri.getHost() != null ? Optional.of(uri) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
