package dev.weft.controlplane.debug;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Optional;

/**
 * An answer of weftd's HTTP API: a status and a JSON body, or, for the few answers in another format (Prometheus
 * metrics), text with its Content-Type.
 */
public record ApiResponse(int status, JsonNode body, Optional<Text> text) {

    /** A body that is not JSON. */
    public record Text(String contentType, String content) {
    }

    public ApiResponse(int status, JsonNode body) {
        this(status, body, Optional.empty());
    }

    public static ApiResponse text(int status, String contentType, String content) {
        return new ApiResponse(status, JsonNodeFactory.instance.nullNode(),
                Optional.of(new Text(contentType, content)));
    }

    /** {@code {"error": message}}. */
    public static ApiResponse error(int status, String message) {
        return new ApiResponse(status, JsonNodeFactory.instance.objectNode().put("error", message));
    }
}
