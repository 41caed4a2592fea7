package dev.weft.controlplane.ca;

/** Told what the CA does with each CreateCertificate call, e.g. to count it as Citadel's metrics. */
public interface SigningObserver {

    SigningObserver NONE = new SigningObserver() {
    };

    /** A call arrived, before anything is checked. */
    default void csrReceived() {
    }

    /** The caller had no known workload token. */
    default void authenticationFailed() {
    }

    /** The CA refused to sign; {@code errorType} is Citadel's ({@link CertificateRefused#errorType()}). */
    default void refused(String errorType) {
    }

    default void issued() {
    }
}
