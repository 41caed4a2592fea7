package dev.weft.proxy.filter.extauthz;

import dev.weft.proxy.matcher.MetadataMatcher;
import java.util.concurrent.atomic.LongAdder;

/**
 * A validated ext_authz filter config: the service, what happens when it fails ({@code failure_mode_allow},
 * {@code status_on_error}), how much of the body it sees ({@code maxBodyBytes} 0 for none), when the filter runs
 * ({@code filter_enabled} as numerator of denominator, {@code filter_enabled_metadata} or null) and its counters.
 */
record ExtAuthzConfig(AuthzService service, boolean failureModeAllow, int statusOnError, int maxBodyBytes,
        boolean allowPartialBody, int enabledNumerator, int enabledDenominator, MetadataMatcher enabledMetadata,
        boolean denyAtDisable, Stats stats) {

    /** Envoy's {@code ext_authz.ok|denied|error|disabled|failure_mode_allowed}. */
    record Stats(LongAdder ok, LongAdder denied, LongAdder error, LongAdder disabled, LongAdder failureModeAllowed) {
    }
}
