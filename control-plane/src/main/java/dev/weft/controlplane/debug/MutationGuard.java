package dev.weft.controlplane.debug;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Who may change the mesh through the API ({@code POST|DELETE /apply}). A web page in the user's browser can send
 * requests to loopback, so a change is refused when it carries an {@code Origin} (browsers send one with every
 * cross-origin POST and DELETE; the CLI never does), when its Content-Type is not YAML or JSON (the types a browser
 * sends across origins without asking first are text/plain, form data and multipart), and, when the mesh has a
 * token, without {@code Authorization: Bearer <token>}.
 */
public final class MutationGuard {

    private static final Set<String> CONFIG_TYPES = Set.of("application/yaml", "application/x-yaml", "text/yaml",
            "application/json", DebugApi.FILES_TYPE);
    private static final int ECHOED = 100;

    private final Optional<byte[]> token;

    private MutationGuard(Optional<byte[]> token) {
        this.token = token;
    }

    /** Changes need {@code Authorization: Bearer token}. */
    public static MutationGuard requiringToken(String token) {
        return new MutationGuard(Optional.of(("Bearer " + token).getBytes(StandardCharsets.UTF_8)));
    }

    /** No token (weftd without a data directory, as in tests); the browser checks still apply. */
    public static MutationGuard withoutToken() {
        return new MutationGuard(Optional.empty());
    }

    /** Why this change is refused, if it is. */
    Optional<ApiResponse> refusal(ApiRequest request) {
        Optional<String> origin = request.header("origin");
        if (origin.isPresent()) {
            return Optional.of(ApiResponse.error(403, "a request from a web page (Origin: " + echo(origin.get())
                    + ") may not change the mesh"));
        }
        String type = mediaType(request);
        if (!CONFIG_TYPES.contains(type)) {
            return Optional.of(ApiResponse.error(415, "Content-Type must be application/yaml or application/json, not \""
                    + echo(type) + "\""));
        }
        if (token.isPresent() && !MessageDigest.isEqual(token.get(),
                request.header("authorization").orElse("").getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(ApiResponse.error(401, "changing the mesh needs its token (Authorization: Bearer"
                    + " <the api-token file in weftd's data directory>); weft apply and weft delete send it"));
        }
        return Optional.empty();
    }

    /** The request's Content-Type without parameters, lower case; empty when it has none. */
    static String mediaType(ApiRequest request) {
        return request.header("content-type").map(t -> t.split(";", 2)[0].strip().toLowerCase(Locale.ROOT))
                .orElse("");
    }

    private static String echo(String value) {
        return value.length() <= ECHOED ? value : value.substring(0, ECHOED) + "...";
    }
}
