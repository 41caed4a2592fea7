package dev.weft.proxy.filter.extauthz;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/** What an authorization service decided about a request. */
sealed interface AuthzResult {

    /** Allowed: headers to set on the request, to append to it, to remove from it, and to add to the response. */
    record Ok(HttpHeaders set, HttpHeaders append, List<String> remove, HttpHeaders responseHeaders)
            implements AuthzResult {
    }

    /** Denied: the response the client gets instead. */
    record Denied(int status, HttpHeaders headers, byte[] body) implements AuthzResult {
    }

    /** No decision: the service failed, timed out or could not be reached. */
    record Error() implements AuthzResult {
    }
}
