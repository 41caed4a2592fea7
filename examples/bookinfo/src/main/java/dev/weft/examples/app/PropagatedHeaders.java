package dev.weft.examples.app;

import com.sun.net.httpserver.Headers;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The request-context headers an app copies from its inbound request onto its outbound calls, as Istio's
 * samples do: the mesh joins spans into one trace and routes by {@code end-user} only if apps forward them.
 *
 * @param values lower-case header name to its values, only names in {@link #NAMES}
 */
public record PropagatedHeaders(Map<String, List<String>> values) {
    public static final List<String> NAMES = List.of(
            "x-request-id",
            "x-b3-traceid",
            "x-b3-spanid",
            "x-b3-parentspanid",
            "x-b3-sampled",
            "x-b3-flags",
            "b3",
            "traceparent",
            "tracestate",
            "x-ot-span-context",
            "end-user",
            "user-agent");

    public PropagatedHeaders {
        values = Map.copyOf(values);
    }

    public static PropagatedHeaders none() {
        return new PropagatedHeaders(Map.of());
    }

    public static PropagatedHeaders from(Headers inbound) {
        Map<String, List<String>> picked = new LinkedHashMap<>();
        for (String name : NAMES) {
            List<String> found = inbound.get(name);
            if (found != null && !found.isEmpty()) {
                picked.put(name, List.copyOf(found));
            }
        }
        return new PropagatedHeaders(picked);
    }

    /** A copy where {@code name} has exactly this one value (productpage sets {@code end-user} this way). */
    public PropagatedHeaders with(String name, String value) {
        Map<String, List<String>> copy = new LinkedHashMap<>(values);
        copy.put(name.toLowerCase(Locale.ROOT), List.of(value));
        return new PropagatedHeaders(copy);
    }

    void applyTo(HttpRequest.Builder request) {
        values.forEach((name, list) -> list.forEach(value -> request.header(name, value)));
    }
}
