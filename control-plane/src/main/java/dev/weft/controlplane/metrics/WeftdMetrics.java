package dev.weft.controlplane.metrics;

import dev.weft.controlplane.ads.AdsObserver;
import dev.weft.controlplane.ca.SigningObserver;
import dev.weft.controlplane.config.ValidationObserver;
import java.time.Clock;
import java.time.Instant;

/**
 * Everything weftd exposes on {@code GET /metrics}, under istiod's names so Istio's own dashboards read it: the xDS
 * server's {@code pilot_*}, config validation's {@code galley_validation_*}, the CA's {@code citadel_server_*},
 * {@code istio_build}, and the process's and JVM's own.
 */
public final class WeftdMetrics {

    private final MetricRegistry registry = new MetricRegistry();
    private final XdsMetrics xds;
    private final ConfigValidations validations;
    private final CertificateSigning signing;

    /** {@code clock}: the one a push's change time comes from, so convergence is measured on it. */
    public WeftdMetrics(Clock clock) {
        BuildInfo.register(registry);
        xds = new XdsMetrics(registry, clock);
        validations = new ConfigValidations(registry);
        signing = new CertificateSigning(registry);
        ProcessMetrics.register(registry);
        JvmMetrics.register(registry);
    }

    public AdsObserver xds() {
        return xds;
    }

    public ValidationObserver validations() {
        return validations;
    }

    public SigningObserver signing() {
        return signing;
    }

    /** The CA's root, whose expiry Citadel exposes. */
    public void rootExpires(Instant expiry) {
        signing.rootExpires(expiry);
    }

    /** Every metric in the Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    public static String contentType() {
        return MetricRegistry.contentType();
    }
}
