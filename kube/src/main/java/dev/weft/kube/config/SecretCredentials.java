package dev.weft.kube.config;

import dev.weft.controlplane.config.CredentialSource;
import dev.weft.xds.secret.Credential;
import dev.weft.xds.secret.Credentials;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A cluster's Secrets as the TLS credentials a Gateway's {@code credentialName} names, in Istio's formats: a
 * {@code kubernetes.io/tls} Secret ({@code tls.crt}, {@code tls.key}, optionally {@code ca.crt}) or a generic one
 * ({@code cert}, {@code key}, {@code cacert}); a Secret with only a CA is the {@code <name>-cacert} of mutual TLS.
 * Other Secrets (service account tokens, registry credentials, ...) are not credentials and are ignored.
 *
 * <p>Credentials are named by the Secret's name alone: two namespaces holding a credential of the same name give the
 * one in the namespace first in name order, a known gap beside Istio, which looks in the gateway's namespace.
 */
public final class SecretCredentials implements CredentialSource {

    private static final Logger LOG = Logger.getLogger(SecretCredentials.class.getName());
    private static final List<String> CERTIFICATE = List.of("tls.crt", "cert");
    private static final List<String> KEY = List.of("tls.key", "key");
    private static final List<String> CA = List.of("ca.crt", "cacert");

    /** Credentials by namespace/name. */
    private final Map<String, Credential> byObject = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile Credentials current = Credentials.NONE;

    /** An added or updated Secret ({@code present}), or a deleted one. */
    public synchronized void seen(Secret secret, boolean present) {
        String key = secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName();
        Credential credential = present ? credential(secret) : null;
        Credential before = credential == null ? byObject.remove(key) : byObject.put(key, credential);
        if (credential == null ? before == null : credential.equals(before)) {
            return;
        }
        Map<String, Credential> byName = new TreeMap<>();
        new TreeMap<>(byObject).forEach((object, c) -> byName.putIfAbsent(object.substring(object.indexOf('/') + 1), c));
        current = new Credentials(byName);
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "credential listener failed", e);
            }
        }
    }

    /** The Secret as a credential, or null when it holds neither a certificate and key nor a CA. */
    static Credential credential(Secret secret) {
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        Map<String, String> plain = secret.getStringData() == null ? Map.of() : secret.getStringData();
        Credential credential = new Credential(value(data, plain, CERTIFICATE), value(data, plain, KEY),
                value(data, plain, CA));
        return credential.hasCertificate() || credential.hasCa() ? credential : null;
    }

    private static String value(Map<String, String> data, Map<String, String> plain, List<String> keys) {
        for (String key : keys) {
            if (data.containsKey(key)) {
                return new String(Base64.getDecoder().decode(data.get(key)), StandardCharsets.UTF_8);
            }
            if (plain.containsKey(key)) {
                return plain.get(key);
            }
        }
        return "";
    }

    @Override
    public Credentials credentials() {
        return current;
    }

    @Override
    public void addListener(Runnable onChange) {
        listeners.add(onChange);
    }
}
