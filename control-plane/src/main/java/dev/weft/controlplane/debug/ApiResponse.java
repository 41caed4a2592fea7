package dev.weft.controlplane.debug;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** An answer of weftd's HTTP API: a status and a JSON body. */
public record ApiResponse(int status, JsonNode body) {

    /** {@code {"error": message}}. */
    public static ApiResponse error(int status, String message) {
        return new ApiResponse(status, JsonNodeFactory.instance.objectNode().put("error", message));
    }
}
