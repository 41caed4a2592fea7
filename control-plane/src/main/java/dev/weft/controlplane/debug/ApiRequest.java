package dev.weft.controlplane.debug;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One complete request to weftd's HTTP API, as the routes see it: no transport types.
 *
 * @param headers lower-case names
 */
public record ApiRequest(String method, String path, Map<String, List<String>> query, Map<String, String> headers,
        String body) {

    public ApiRequest {
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
    }

    public String queryParameter(String name) {
        List<String> values = query.getOrDefault(name, List.of());
        return values.isEmpty() ? "" : values.getFirst();
    }

    public Optional<String> header(String lowerCaseName) {
        return Optional.ofNullable(headers.get(lowerCaseName));
    }
}
