package dev.weft.controlplane.config;

import dev.weft.xds.secret.Credentials;

/** Where the TLS credentials that {@code credentialName} fields name come from, and who hears of a change. */
public interface CredentialSource {

    /** No credentials, ever. */
    CredentialSource NONE = new CredentialSource() {
        @Override
        public Credentials credentials() {
            return Credentials.NONE;
        }

        @Override
        public void addListener(Runnable onChange) {
        }
    };

    Credentials credentials();

    void addListener(Runnable onChange);
}
