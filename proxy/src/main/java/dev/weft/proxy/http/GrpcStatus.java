package dev.weft.proxy.http;

import dev.weft.proxy.streaminfo.ResponseFlag;

/** Maps a local reply's HTTP status to the gRPC status a gRPC client gets instead (Envoy's mapping). */
final class GrpcStatus {

    private GrpcStatus() {
    }

    static String fromHttp(int httpStatus, int flags) {
        if ((flags & ResponseFlag.UPSTREAM_REQUEST_TIMEOUT.bit()) != 0) {
            return "4";
        }
        return switch (httpStatus) {
            case 400 -> "13";
            case 401 -> "16";
            case 403 -> "7";
            case 404 -> "12";
            case 429, 502, 503, 504 -> "14";
            default -> "2";
        };
    }
}
