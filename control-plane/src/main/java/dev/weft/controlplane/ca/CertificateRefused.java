package dev.weft.controlplane.ca;

/**
 * The CA will not sign a request; the message says why, for the caller and the log, and {@link #errorType()} says
 * how Citadel classes it.
 */
public final class CertificateRefused extends Exception {

    /** Citadel's error type of a bad request: the CSR cannot be read or asks for what the caller may not have. */
    public static final String CSR_ERROR = "CSR_ERROR";
    /** Citadel's error type of a certificate the CA could not make from a good request. */
    public static final String CERT_GEN_ERROR = "CERT_GEN_ERROR";

    private final String errorType;

    public CertificateRefused(String message) {
        this(CSR_ERROR, message);
    }

    public CertificateRefused(String errorType, String message) {
        super(message);
        this.errorType = errorType;
    }

    /** {@link #CSR_ERROR} or {@link #CERT_GEN_ERROR}, as Citadel labels {@code citadel_server_csr_sign_err_count}. */
    public String errorType() {
        return errorType;
    }
}
