package dev.weft.controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.xds.secret.Credential;
import dev.weft.xds.secret.Credentials;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LayeredCredentialsTest {

    private static CredentialSource source(Map<String, Credential> byName, List<Runnable> listeners) {
        return new CredentialSource() {
            @Override
            public Credentials credentials() {
                return new Credentials(byName);
            }

            @Override
            public void addListener(Runnable onChange) {
                listeners.add(onChange);
            }
        };
    }

    @Test
    void aLaterLayersCredentialReplacesAnEarlierOnesOfTheSameNameAndEveryLayerIsHeard() {
        Credential fromFiles = new Credential("files-cert", "files-key", "");
        Credential fromCluster = new Credential("cluster-cert", "cluster-key", "");
        List<Runnable> directoryListeners = new java.util.ArrayList<>();
        List<Runnable> clusterListeners = new java.util.ArrayList<>();
        LayeredCredentials layered = new LayeredCredentials(List.of(
                source(Map.of("web", fromFiles, "files-only", fromFiles), directoryListeners),
                source(Map.of("web", fromCluster), clusterListeners)));

        assertThat(layered.credentials().find("web")).contains(fromCluster);
        assertThat(layered.credentials().find("files-only")).contains(fromFiles);
        AtomicInteger heard = new AtomicInteger();
        layered.addListener(heard::incrementAndGet);
        directoryListeners.forEach(Runnable::run);
        clusterListeners.forEach(Runnable::run);
        assertThat(heard.get()).isEqualTo(2);
        assertThat(new LayeredCredentials(List.of()).credentials().isEmpty()).isTrue();
    }
}
