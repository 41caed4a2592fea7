package dev.weft.proxy.streaminfo;

/**
 * Envoy's response code details ({@code %RESPONSE_CODE_DETAILS%}): why a request got the status it got. An
 * upstream's answer is {@link #VIA_UPSTREAM}; every reply the proxy makes itself names its cause.
 */
public final class ResponseCodeDetails {

    public static final String VIA_UPSTREAM = "via_upstream";
    public static final String ROUTE_NOT_FOUND = "route_not_found";
    public static final String DIRECT_RESPONSE = "direct_response";
    public static final String CLUSTER_NOT_FOUND = "cluster_not_found";
    public static final String NO_HEALTHY_UPSTREAM = "no_healthy_upstream";
    public static final String RESPONSE_TIMEOUT = "response_timeout";
    public static final String UPSTREAM_PER_TRY_TIMEOUT = "upstream_per_try_timeout";
    public static final String REQUEST_OVERALL_TIMEOUT = "request_overall_timeout";
    public static final String STREAM_IDLE_TIMEOUT = "stream_idle_timeout";
    public static final String DOWNSTREAM_REMOTE_DISCONNECT = "downstream_remote_disconnect";
    public static final String REQUEST_PAYLOAD_TOO_LARGE = "request_payload_too_large";
    public static final String FAULT_FILTER_ABORT = "fault_filter_abort";
    public static final String LOCAL_RATE_LIMITED = "local_rate_limited";
    public static final String EXT_AUTHZ_DENIED = "ext_authz_denied";
    public static final String EXT_AUTHZ_ERROR = "ext_authz_error";
    public static final String CORS_RESPONSE = "cors_response";
    public static final String LOW_VERSION = "low_version";
    public static final String MISSING_HOST_HEADER = "missing_host_header";
    public static final String UPGRADE_FAILED = "upgrade_failed";
    public static final String DNS_RESOLUTION_FAILURE = "dns_resolution_failure";
    /** Not Envoy's: a filter failed with an exception, and the proxy answered 500 rather than let it escape. */
    public static final String FILTER_FAILURE = "weft.filter_failure";

    private ResponseCodeDetails() {
    }

    /** RBAC denied: the policy that matched a DENY rule, or {@code none} when no ALLOW policy matched. */
    public static String rbacDenied(String policy) {
        return "rbac_access_denied_matched_policy[" + (policy == null ? "none" : noWhitespace(policy)) + "]";
    }

    /** jwt_authn denied, with Envoy's status text: {@code jwt_authn_access_denied{Jwt_is_missing}}. */
    public static String jwtDenied(String status) {
        return "jwt_authn_access_denied{" + noWhitespace(status) + "}";
    }

    /** The upstream failed before the response started: {@code upstream_reset_before_response_started{overflow}}. */
    public static String resetBeforeResponse(String reason) {
        return "upstream_reset_before_response_started{" + reason + "}";
    }

    public static String resetAfterResponse(String reason) {
        return "upstream_reset_after_response_started{" + reason + "}";
    }

    /** As Envoy, whitespace becomes {@code _} so a detail stays one field of a space-separated line. */
    static String noWhitespace(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(Character.isWhitespace(c) ? '_' : c);
        }
        return out.toString();
    }
}
