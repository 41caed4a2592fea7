package dev.weft.proxy.filter.router;

import java.time.Duration;

/** Parses the gRPC {@code grpc-timeout} header: up to 8 digits and a unit (H, M, S, m, u, n). */
final class GrpcTimeout {

    private GrpcTimeout() {
    }

    /** The timeout, or null when the header is absent or malformed. */
    static Duration parse(String value) {
        if (value == null || value.length() < 2 || value.length() > 9) {
            return null;
        }
        long amount;
        try {
            amount = Long.parseLong(value.substring(0, value.length() - 1));
        } catch (NumberFormatException e) {
            return null;
        }
        if (amount < 0) {
            return null;
        }
        return switch (value.charAt(value.length() - 1)) {
            case 'H' -> Duration.ofHours(amount);
            case 'M' -> Duration.ofMinutes(amount);
            case 'S' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMillis(amount);
            case 'u' -> Duration.ofNanos(amount * 1000);
            case 'n' -> Duration.ofNanos(amount);
            default -> null;
        };
    }
}
