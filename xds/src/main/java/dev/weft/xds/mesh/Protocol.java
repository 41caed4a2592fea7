package dev.weft.xds.mesh;

import java.util.Locale;

/** An L7/L4 protocol as Istio infers it from a port's protocol field, name or appProtocol. */
public enum Protocol {
    HTTP, HTTP2, HTTPS, GRPC, GRPC_WEB, TCP, TLS, MONGO, MYSQL, REDIS, UDP,
    /** Nothing recognisable: Istio treats such ports as opaque TCP. */
    UNSUPPORTED;

    /**
     * Parses a protocol name as written in Istio config ("HTTP", "grpc-web", "h2c", ...),
     * case-insensitively. Unknown names give {@link #UNSUPPORTED}.
     */
    public static Protocol parse(String value) {
        if (value == null) {
            return UNSUPPORTED;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "http" -> HTTP;
            case "http2", "h2c", "kubernetes.io/h2c" -> HTTP2;
            case "https" -> HTTPS;
            case "grpc" -> GRPC;
            case "grpc-web" -> GRPC_WEB;
            case "tcp" -> TCP;
            case "tls" -> TLS;
            case "mongo" -> MONGO;
            case "mysql" -> MYSQL;
            case "redis" -> REDIS;
            case "udp" -> UDP;
            case "kubernetes.io/ws", "kubernetes.io/wss" -> HTTP;
            default -> UNSUPPORTED;
        };
    }

    /**
     * Infers the protocol of a Kubernetes-style port the way Istio does: an explicit appProtocol wins,
     * then the port name, either equal to a protocol or prefixed by one and a dash ("http-web", "grpc").
     */
    public static Protocol infer(String portName, String appProtocol) {
        if (appProtocol != null && !appProtocol.isEmpty()) {
            Protocol fromApp = parse(appProtocol);
            if (fromApp != UNSUPPORTED) {
                return fromApp;
            }
        }
        if (portName == null || portName.isEmpty()) {
            return UNSUPPORTED;
        }
        String name = portName.toLowerCase(Locale.ROOT);
        if (name.equals("grpc-web") || name.startsWith("grpc-web-")) {
            return GRPC_WEB;
        }
        int dash = name.indexOf('-');
        return parse(dash < 0 ? name : name.substring(0, dash));
    }

    /** Served through an HTTP connection manager. */
    public boolean isHttp() {
        return this == HTTP || this == HTTP2 || this == GRPC || this == GRPC_WEB;
    }

    /** Requires HTTP/2 towards the upstream. */
    public boolean isHttp2() {
        return this == HTTP2 || this == GRPC;
    }

    /** Carries TLS that the sidecar does not terminate, so it can be routed by SNI. */
    public boolean isTls() {
        return this == HTTPS || this == TLS;
    }
}
