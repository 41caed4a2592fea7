package dev.weft.api.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Istio's default access log formats, as pilot writes them when meshConfig sets {@code accessLogFile} without an
 * {@code accessLogFormat}: {@code EnvoyTextLogFormat} for TEXT encoding and {@code EnvoyJSONLogFormatIstio} for JSON.
 * weftd sends them and weft-proxy's tests check the lines they make.
 */
public final class IstioAccessLogFormats {

    public static final String TEXT = "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%\" "
            + "%RESPONSE_CODE% %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS% "
            + "\"%UPSTREAM_TRANSPORT_FAILURE_REASON%\" %BYTES_RECEIVED% %BYTES_SENT% %DURATION% "
            + "%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% \"%REQ(X-FORWARDED-FOR)%\" \"%REQ(USER-AGENT)%\" "
            + "\"%REQ(X-REQUEST-ID)%\" \"%REQ(:AUTHORITY)%\" \"%UPSTREAM_HOST%\" %UPSTREAM_CLUSTER_RAW% "
            + "%UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS% "
            + "%REQUESTED_SERVER_NAME% %ROUTE_NAME%\n";

    /** Key to format string, in Istio's order. */
    public static final Map<String, String> JSON = json();

    private IstioAccessLogFormats() {
    }

    private static Map<String, String> json() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("start_time", "%START_TIME%");
        fields.put("route_name", "%ROUTE_NAME%");
        fields.put("method", "%REQ(:METHOD)%");
        fields.put("path", "%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%");
        fields.put("protocol", "%PROTOCOL%");
        fields.put("response_code", "%RESPONSE_CODE%");
        fields.put("response_flags", "%RESPONSE_FLAGS%");
        fields.put("response_code_details", "%RESPONSE_CODE_DETAILS%");
        fields.put("connection_termination_details", "%CONNECTION_TERMINATION_DETAILS%");
        fields.put("bytes_received", "%BYTES_RECEIVED%");
        fields.put("bytes_sent", "%BYTES_SENT%");
        fields.put("duration", "%DURATION%");
        fields.put("upstream_service_time", "%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%");
        fields.put("x_forwarded_for", "%REQ(X-FORWARDED-FOR)%");
        fields.put("user_agent", "%REQ(USER-AGENT)%");
        fields.put("request_id", "%REQ(X-REQUEST-ID)%");
        fields.put("authority", "%REQ(:AUTHORITY)%");
        fields.put("upstream_host", "%UPSTREAM_HOST%");
        fields.put("upstream_cluster", "%UPSTREAM_CLUSTER_RAW%");
        fields.put("upstream_local_address", "%UPSTREAM_LOCAL_ADDRESS%");
        fields.put("downstream_local_address", "%DOWNSTREAM_LOCAL_ADDRESS%");
        fields.put("downstream_remote_address", "%DOWNSTREAM_REMOTE_ADDRESS%");
        fields.put("requested_server_name", "%REQUESTED_SERVER_NAME%");
        fields.put("upstream_transport_failure_reason", "%UPSTREAM_TRANSPORT_FAILURE_REASON%");
        return java.util.Collections.unmodifiableMap(fields);
    }
}
