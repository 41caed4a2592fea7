package dev.weft.proxy.agent;

import com.google.gson.stream.MalformedJsonException;
import dev.weft.proxy.config.PlainJson;
import java.util.Map;

/**
 * A variable of the pod's environment whose value is JSON, as the injector writes {@code PROXY_CONFIG},
 * {@code ISTIO_KUBE_APP_PROBERS} or {@code ISTIO_METAJSON_*}; a malformed one is refused by name.
 */
final class JsonVariable {

    private JsonVariable() {
    }

    /** Variable {@code name}'s value {@code json} as plain values ({@link PlainJson}). */
    static Object parse(String name, String json) {
        try {
            return PlainJson.parse(json);
        } catch (MalformedJsonException e) {
            throw new IllegalArgumentException(name + " is not JSON: " + e.getMessage());
        }
    }

    /** {@link #parse}, which must be an object; {@code of} says of what, for the message. */
    @SuppressWarnings("unchecked") // a JSON object's keys are strings
    static Map<String, Object> object(String name, String json, String of) {
        if (!(parse(name, json) instanceof Map<?, ?> object)) {
            throw new IllegalArgumentException(name + " is not a JSON object of " + of);
        }
        return (Map<String, Object>) object;
    }
}
