package dev.weft.controlplane.config;

import dev.weft.xds.secret.Credential;
import dev.weft.xds.secret.Credentials;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Credentials from several sources, a later source's credential replacing an earlier one's of the same name (a
 * cluster's Secret over the credentials directory), as config layers do.
 */
public final class LayeredCredentials implements CredentialSource {

    private final List<CredentialSource> layers;

    public LayeredCredentials(List<CredentialSource> layers) {
        this.layers = List.copyOf(layers);
    }

    @Override
    public Credentials credentials() {
        if (layers.size() == 1) {
            return layers.getFirst().credentials();
        }
        Map<String, Credential> byName = new TreeMap<>();
        layers.forEach(layer -> byName.putAll(layer.credentials().byName()));
        return new Credentials(byName);
    }

    @Override
    public void addListener(Runnable onChange) {
        layers.forEach(layer -> layer.addListener(onChange));
    }
}
