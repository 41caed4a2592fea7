package dev.weft.controlplane.config;

import dev.weft.xds.secret.Credential;
import dev.weft.xds.secret.Credentials;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Credentials from several sources, a later source's credential replacing an earlier one's of the same key (a
 * cluster's Secret over the credentials directory), as config layers do. Merged once per change of a layer, before
 * the listeners hear of it, so a push reads the merge without making it.
 */
public final class LayeredCredentials implements CredentialSource {

    private final List<CredentialSource> layers;
    private final ListenerList listeners = new ListenerList();
    private volatile Credentials merged;

    public LayeredCredentials(List<CredentialSource> layers) {
        this.layers = List.copyOf(layers);
        this.merged = merge();
        this.layers.forEach(layer -> layer.addListener(this::layerChanged));
    }

    @Override
    public Credentials credentials() {
        return merged;
    }

    @Override
    public void addListener(Runnable onChange) {
        listeners.add(onChange);
    }

    private void layerChanged() {
        synchronized (this) {
            merged = merge();
        }
        listeners.fire();
    }

    private Credentials merge() {
        if (layers.size() == 1) {
            return layers.getFirst().credentials();
        }
        Map<String, Credential> byName = new TreeMap<>();
        layers.forEach(layer -> byName.putAll(layer.credentials().byName()));
        return new Credentials(byName);
    }
}
