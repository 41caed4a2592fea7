package dev.weft.controlplane.metrics;

import dev.weft.controlplane.ca.CertificateRefused;
import dev.weft.controlplane.ca.SigningObserver;
import java.time.Instant;

/**
 * Citadel's metrics of istiod's CA: {@code citadel_server_csr_count} (every call),
 * {@code citadel_server_authentication_failure_count}, {@code citadel_server_csr_sign_err_count} by Citadel's
 * {@code error} type, {@code citadel_server_success_cert_issuance_count}, and
 * {@code citadel_server_root_cert_expiry_timestamp} (Unix seconds).
 */
final class CertificateSigning implements SigningObserver {

    private final Counter.Series csrs;
    private final Counter.Series authenticationFailures;
    private final Counter signErrors;
    private final Counter.Series issued;
    private final Gauge rootExpiry;

    CertificateSigning(MetricRegistry registry) {
        csrs = Counter.register(registry, "citadel_server_csr_count",
                "The number of CSRs received by Citadel server.").labels();
        authenticationFailures = Counter.register(registry, "citadel_server_authentication_failure_count",
                "The number of authentication failures.").labels();
        signErrors = Counter.register(registry, "citadel_server_csr_sign_err_count",
                "The number of errors occurred when signing the CSR.", "error");
        issued = Counter.register(registry, "citadel_server_success_cert_issuance_count",
                "The number of certificates issuances that have succeeded.").labels();
        rootExpiry = Gauge.register(registry, "citadel_server_root_cert_expiry_timestamp",
                "The unix timestamp, in seconds, when the root cert will expire.");
        signErrors.labels(CertificateRefused.CSR_ERROR);
        signErrors.labels(CertificateRefused.CERT_GEN_ERROR);
    }

    /** Without a CA there is no root, and no expiry series. */
    void rootExpires(Instant expiry) {
        rootExpiry.labels().set(expiry.getEpochSecond());
    }

    @Override
    public void csrReceived() {
        csrs.inc();
    }

    @Override
    public void authenticationFailed() {
        authenticationFailures.inc();
    }

    @Override
    public void refused(String errorType) {
        signErrors.labels(errorType).inc();
    }

    @Override
    public void issued() {
        issued.inc();
    }
}
