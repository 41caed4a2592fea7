package dev.weft.testing.upstream;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** What a fake upstream answers: status, headers, body, and how long it waits before answering. */
public record FakeResponse(int status, Map<String, String> headers, byte[] body, Duration delay) {

    public FakeResponse {
        headers = Map.copyOf(headers);
        body = body.clone();
    }

    public static FakeResponse of(int status, String body) {
        return new FakeResponse(status, Map.of(), body.getBytes(StandardCharsets.UTF_8), Duration.ZERO);
    }

    public FakeResponse withHeader(String name, String value) {
        var copy = new java.util.HashMap<>(headers);
        copy.put(name, value);
        return new FakeResponse(status, copy, body, delay);
    }

    public FakeResponse withDelay(Duration newDelay) {
        return new FakeResponse(status, headers, body, newDelay);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }
}
