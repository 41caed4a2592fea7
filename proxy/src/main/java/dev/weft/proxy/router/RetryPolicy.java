package dev.weft.proxy.router;

import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.config.Durations;
import java.time.Duration;
import java.util.Set;

/**
 * A compiled {@code retry_policy}. {@code retryOn} is a bit set of {@link RetryPolicy} conditions so that the
 * per-response check is a mask test.
 */
public record RetryPolicy(int retryOn, int numRetries, Duration perTryTimeout, Set<Integer> retriableStatusCodes,
        Duration backoffBase, Duration backoffMax, boolean previousHosts, int hostSelectionMaxAttempts) {

    public static final int ON_5XX = 1;
    public static final int GATEWAY_ERROR = 1 << 1;
    public static final int RESET = 1 << 2;
    public static final int CONNECT_FAILURE = 1 << 3;
    public static final int RETRIABLE_4XX = 1 << 4;
    public static final int REFUSED_STREAM = 1 << 5;
    public static final int RETRIABLE_STATUS_CODES = 1 << 6;
    public static final int GRPC_CANCELLED = 1 << 7;
    public static final int GRPC_DEADLINE_EXCEEDED = 1 << 8;
    public static final int GRPC_INTERNAL = 1 << 9;
    public static final int GRPC_RESOURCE_EXHAUSTED = 1 << 10;
    public static final int GRPC_UNAVAILABLE = 1 << 11;
    public static final int RESET_BEFORE_REQUEST = 1 << 12;

    public static final RetryPolicy NONE = new RetryPolicy(0, 0, Duration.ZERO, Set.of(),
            Duration.ofMillis(25), Duration.ofMillis(250), false, 1);

    public RetryPolicy {
        retriableStatusCodes = Set.copyOf(retriableStatusCodes);
    }

    static RetryPolicy compile(io.envoyproxy.envoy.config.route.v3.RetryPolicy p) {
        int on = parseRetryOn(p.getRetryOn());
        int num = p.hasNumRetries() ? p.getNumRetries().getValue() : 1;
        Duration perTry = p.hasPerTryTimeout() ? Durations.of(p.getPerTryTimeout()) : Duration.ZERO;
        Duration base = p.getRetryBackOff().hasBaseInterval() ? Durations.of(p.getRetryBackOff().getBaseInterval())
                : Duration.ofMillis(25);
        Duration max = p.getRetryBackOff().hasMaxInterval() ? Durations.of(p.getRetryBackOff().getMaxInterval())
                : base.multipliedBy(10);
        if (base.isZero() || base.isNegative()) {
            throw new ConfigException("retry_back_off.base_interval must be greater than zero");
        }
        if (max.compareTo(base) < 0) {
            throw new ConfigException("retry_back_off.max_interval must be at least base_interval");
        }
        boolean previous = p.getRetryHostPredicateList().stream()
                .anyMatch(h -> h.getName().equals("envoy.retry_host_predicates.previous_hosts")
                        || h.getTypedConfig().getTypeUrl().endsWith("PreviousHostsPredicate"));
        long attempts = p.getHostSelectionRetryMaxAttempts();
        return new RetryPolicy(on, num, perTry, Set.copyOf(p.getRetriableStatusCodesList()), base, max, previous,
                (int) Math.max(1, Math.min(attempts, 100)));
    }

    static int parseRetryOn(String retryOn) {
        int bits = 0;
        for (String raw : retryOn.split(",")) {
            String c = raw.trim();
            if (c.isEmpty()) {
                continue;
            }
            bits |= switch (c) {
                case "5xx" -> ON_5XX;
                case "gateway-error" -> GATEWAY_ERROR;
                case "reset" -> RESET;
                case "connect-failure" -> CONNECT_FAILURE;
                case "retriable-4xx" -> RETRIABLE_4XX;
                case "refused-stream" -> REFUSED_STREAM;
                case "retriable-status-codes" -> RETRIABLE_STATUS_CODES;
                case "cancelled" -> GRPC_CANCELLED;
                case "deadline-exceeded" -> GRPC_DEADLINE_EXCEEDED;
                case "internal" -> GRPC_INTERNAL;
                case "resource-exhausted" -> GRPC_RESOURCE_EXHAUSTED;
                case "unavailable" -> GRPC_UNAVAILABLE;
                case "reset-before-request" -> RESET_BEFORE_REQUEST;
                // Conditions that depend on features not present here are accepted and never fire.
                case "retriable-headers", "envoy-ratelimited", "http3-post-connect-failure" -> 0;
                default -> throw new ConfigException("unknown retry_on condition '" + c + "'");
            };
        }
        return bits;
    }

    public boolean enabled() {
        return retryOn != 0 && numRetries > 0;
    }

    public boolean has(int condition) {
        return (retryOn & condition) != 0;
    }

    /** Whether a response with this HTTP status and gRPC status (or -1) should be retried. */
    public boolean retriesResponse(int status, int grpcStatus) {
        if (has(ON_5XX) && status >= 500) {
            return true;
        }
        if (has(GATEWAY_ERROR) && (status == 502 || status == 503 || status == 504)) {
            return true;
        }
        if (has(RETRIABLE_4XX) && status == 409) {
            return true;
        }
        if (has(RETRIABLE_STATUS_CODES) && retriableStatusCodes.contains(status)) {
            return true;
        }
        return switch (grpcStatus) {
            case 1 -> has(GRPC_CANCELLED);
            case 4 -> has(GRPC_DEADLINE_EXCEEDED);
            case 8 -> has(GRPC_RESOURCE_EXHAUSTED);
            case 13 -> has(GRPC_INTERNAL);
            case 14 -> has(GRPC_UNAVAILABLE);
            default -> false;
        };
    }

    /** Parses an {@code x-envoy-retry-on} request header; unknown words are ignored, as Envoy does. */
    public RetryPolicy overriddenBy(String retryOnHeader, String maxRetriesHeader) {
        int on = retryOn;
        if (retryOnHeader != null) {
            on = 0;
            for (String c : retryOnHeader.split(",")) {
                try {
                    on |= parseRetryOn(c);
                } catch (ConfigException ignored) {
                    // An unknown condition in a request header is not an error.
                }
            }
        }
        int num = numRetries;
        if (maxRetriesHeader != null) {
            try {
                num = Integer.parseInt(maxRetriesHeader.trim());
            } catch (NumberFormatException ignored) {
                // Keep the configured count.
            }
        }
        return new RetryPolicy(on, num, perTryTimeout, retriableStatusCodes, backoffBase, backoffMax, previousHosts,
                hostSelectionMaxAttempts);
    }
}
