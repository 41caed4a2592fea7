package dev.weft.testing.upstream;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One request as a fake upstream received it. Header names are lower case. {@code clientPort} is the port of the
 * connection it came on, so tests can tell whether connections were reused.
 */
public record RecordedRequest(String method, String uri, String protocol, Map<String, List<String>> headers, byte[] body,
        int clientPort) {

    public RecordedRequest {
        headers = Map.copyOf(headers);
        body = body.clone();
    }

    /** The first value of a header, or null when the request did not carry it. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }
}
