package dev.weft.xds.route;

import java.util.List;
import java.util.Locale;

/** gRPC status names (as Istio's fault abort takes them) to their numeric codes. */
final class GrpcStatusCodes {

    private static final List<String> NAMES = List.of("OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT",
            "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
            "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE",
            "DATA_LOSS", "UNAUTHENTICATED");

    private GrpcStatusCodes() {
    }

    /** Unknown names map to UNKNOWN (2); validation reports them before translation. */
    static int of(String name) {
        int code = NAMES.indexOf(name.toUpperCase(Locale.ROOT));
        return code < 0 ? 2 : code;
    }
}
