package dev.weft.proxy.filter.jwt;

/**
 * The outcome of checking a request's tokens, with the text Envoy's jwt_authn answers for each failure (its
 * jwt_verify_lib status strings). An audience mismatch is a 403; every other failure a 401.
 */
enum JwtStatus {
    OK("OK"),
    MISSING("Jwt is missing"),
    BAD_FORMAT("Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections"),
    UNSUPPORTED_ALGORITHM("Jwt header [alg] field value is invalid"),
    UNKNOWN_ISSUER("Jwt issuer is not configured"),
    AUDIENCE_NOT_ALLOWED("Audiences in Jwt are not allowed"),
    EXPIRED("Jwt is expired"),
    NOT_YET_VALID("Jwt not yet valid"),
    NO_MATCHING_KEY("Jwks doesn't have key to match kid or alg from Jwt"),
    VERIFICATION_FAILED("Jwt verification fails"),
    JWKS_FETCH_FAILED("Jwks remote fetch is failed");

    private final String message;

    JwtStatus(String message) {
        this.message = message;
    }

    String message() {
        return message;
    }

    int httpStatus() {
        return this == AUDIENCE_NOT_ALLOWED ? 403 : 401;
    }
}
