package dev.weft.proxy.agent;

import dev.weft.proxy.config.PlainJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One of the app's original probes, which the injector moved to {@code ISTIO_KUBE_APP_PROBERS} when it pointed the
 * kubelet at the agent: an HTTP GET, a TCP connect or a gRPC health check, each bounded by its
 * {@code timeoutSeconds} (the kubelet's default, 1 s, when the probe names none).
 */
sealed interface AppProbe {

    /** Istio's agent paths: {@code /app-health/<container>/livez|readyz|startupz}, {@code /app-lifecycle/...}. */
    Pattern PATH = Pattern.compile("^/(app-health|app-lifecycle)/[^/]+/(livez|readyz|startupz|prestopz|poststartz)$");

    Duration timeout();

    /** @param headers the probe's {@code httpHeaders}, in order; a {@code Host} among them is the Host header */
    record HttpGet(String scheme, String host, int port, String path, List<Map.Entry<String, String>> headers,
            Duration timeout) implements AppProbe {
        public HttpGet {
            headers = List.copyOf(headers);
        }

        boolean https() {
            return scheme.equalsIgnoreCase("HTTPS");
        }
    }

    record TcpSocket(String host, int port, Duration timeout) implements AppProbe {
    }

    record Grpc(int port, String service, Duration timeout) implements AppProbe {
    }

    /**
     * {@code ISTIO_KUBE_APP_PROBERS}: a JSON object of agent path to original probe, as the injector writes it (and
     * Istio's). Refuses a path outside Istio's pattern, a probe with no or several actions, or a port not a number.
     */
    static Map<String, AppProbe> parse(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        Map<String, Object> paths = JsonVariable.object("ISTIO_KUBE_APP_PROBERS", json, "path to probe");
        Map<String, AppProbe> probes = new LinkedHashMap<>();
        paths.forEach((path, probe) -> probes.put(path, probe(path, fields(probe))));
        return Map.copyOf(probes);
    }

    private static AppProbe probe(String path, Map<?, ?> probe) {
        String where = "ISTIO_KUBE_APP_PROBERS " + path;
        if (!PATH.matcher(path).matches()) {
            throw new IllegalArgumentException(where + ": not an agent path " + PATH.pattern());
        }
        List<String> actions = List.of("httpGet", "tcpSocket", "grpc").stream().filter(a -> probe.get(a) != null)
                .toList();
        if (actions.size() != 1) {
            throw new IllegalArgumentException(where + ": needs exactly one of httpGet, tcpSocket or grpc");
        }
        int seconds = probe.get("timeoutSeconds") instanceof Number n ? n.intValue() : 0;
        Duration timeout = Duration.ofSeconds(seconds > 0 ? seconds : 1);
        Map<?, ?> action = fields(probe.get(actions.getFirst()));
        int port = port(where, action.get("port"));
        String host = PlainJson.text(action.get("host"), "");
        return switch (actions.getFirst()) {
            case "httpGet" -> {
                List<Map.Entry<String, String>> headers = new ArrayList<>();
                if (action.get("httpHeaders") instanceof List<?> list) {
                    list.forEach(h -> headers.add(Map.entry(PlainJson.text(fields(h).get("name"), ""),
                            PlainJson.text(fields(h).get("value"), ""))));
                }
                String get = PlainJson.text(action.get("path"), "/");
                yield new HttpGet(PlainJson.text(action.get("scheme"), "HTTP"), host, port,
                        get.startsWith("/") ? get : "/" + get, headers, timeout);
            }
            case "tcpSocket" -> new TcpSocket(host, port, timeout);
            default -> new Grpc(port, PlainJson.text(action.get("service"), ""), timeout);
        };
    }

    /** A JSON object's fields; none for any other value. */
    private static Map<?, ?> fields(Object json) {
        return json instanceof Map<?, ?> object ? object : Map.of();
    }

    private static int port(String where, Object port) {
        if (!(port instanceof Long number) || number < 1 || number > 65535) {
            throw new IllegalArgumentException(where + ": the port must be a number (the injector resolves names)");
        }
        return number.intValue();
    }
}
