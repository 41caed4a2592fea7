package dev.weft.proxy.tls;

import java.util.Map;

/** The SDS secrets known now, by name; a TLS context naming one that is missing waits (warms) for it. */
@FunctionalInterface
public interface SecretLookup {

    SecretLookup NONE = name -> null;

    /** The secret, or null when it has not arrived. */
    TlsSecret find(String name);

    static SecretLookup of(Map<String, TlsSecret> secrets) {
        Map<String, TlsSecret> copy = Map.copyOf(secrets);
        return copy::get;
    }
}
