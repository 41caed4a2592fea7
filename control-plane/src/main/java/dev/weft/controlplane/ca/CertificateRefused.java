package dev.weft.controlplane.ca;

/** The CA will not sign a request; the message says why, for the caller and the log. */
public final class CertificateRefused extends Exception {

    public CertificateRefused(String message) {
        super(message);
    }
}
