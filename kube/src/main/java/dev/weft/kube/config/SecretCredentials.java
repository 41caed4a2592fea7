package dev.weft.kube.config;

import dev.weft.controlplane.config.CredentialSource;
import dev.weft.xds.secret.Credential;
import dev.weft.xds.secret.Credentials;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A cluster's Secrets as the TLS credentials a Gateway's {@code credentialName} names, in Istio's formats
 * ({@link Credential#fromEntries}): a {@code kubernetes.io/tls} Secret or a generic one; a Secret with only a CA is
 * the {@code <name>-cacert} of mutual TLS. Other Secrets (service account tokens, registry credentials, ...) are not
 * credentials and are ignored. Each is its namespace's ({@link Credentials#key}): as istiod, weftd gives a gateway
 * only the Secrets of its own namespace. Only the namespaces the discovery selectors admit count.
 */
public final class SecretCredentials implements CredentialSource {

    private static final Logger LOG = Logger.getLogger(SecretCredentials.class.getName());

    /** Credentials by namespace/name. */
    private final Map<String, Credential> byObject = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final Predicate<String> admitted;
    private volatile Credentials current = Credentials.NONE;

    /** {@code admitted}: whether the discovery selectors admit a namespace now. */
    public SecretCredentials(Predicate<String> admitted) {
        this.admitted = admitted;
    }

    /** An added or updated Secret ({@code present}), or a deleted one. */
    public synchronized void seen(Secret secret, boolean present) {
        String key = Credentials.key(secret.getMetadata().getNamespace(), secret.getMetadata().getName());
        Credential credential = present ? credential(secret).orElse(null) : null;
        Credential before = credential == null ? byObject.remove(key) : byObject.put(key, credential);
        if (credential == null ? before == null : credential.equals(before)) {
            return;
        }
        recompute();
    }

    /** The admitted namespaces changed: the credentials are worked out again. */
    public synchronized void rescope() {
        recompute();
    }

    private void recompute() {
        Map<String, Credential> served = new HashMap<>(byObject);
        served.keySet().removeIf(key -> !admitted.test(key.substring(0, key.indexOf('/'))));
        Credentials next = new Credentials(served);
        if (next.equals(current)) {
            return;
        }
        current = next;
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "credential listener failed", e);
            }
        }
    }

    /** The Secret as a credential, or empty when it holds neither a certificate and key nor a CA. */
    private static Optional<Credential> credential(Secret secret) {
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        Map<String, String> plain = secret.getStringData() == null ? Map.of() : secret.getStringData();
        return Credential.fromEntries(key -> data.containsKey(key)
                ? new String(Base64.getDecoder().decode(data.get(key)), StandardCharsets.UTF_8) : plain.get(key));
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
