package dev.weft.controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.xds.secret.Credential;
import dev.weft.xds.secret.Credentials;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LayeredCredentialsTest {

    /** A layer holding {@code held}, counting how often it is read. */
    private record Layer(AtomicReference<Map<String, Credential>> held, AtomicInteger reads, List<Runnable> listeners)
            implements CredentialSource {

        Layer(Map<String, Credential> byName) {
            this(new AtomicReference<>(byName), new AtomicInteger(), new ArrayList<>());
        }

        @Override
        public Credentials credentials() {
            reads.incrementAndGet();
            return new Credentials(held.get());
        }

        @Override
        public void addListener(Runnable onChange) {
            listeners.add(onChange);
        }

        void change(Map<String, Credential> byName) {
            held.set(byName);
            listeners.forEach(Runnable::run);
        }
    }

    @Test
    void aLaterLayersCredentialReplacesAnEarlierOnesOfTheSameKeyAndEveryLayerIsHeard() {
        Credential fromFiles = new Credential("files-cert", "files-key", "");
        Credential fromCluster = new Credential("cluster-cert", "cluster-key", "");
        Layer directory = new Layer(Map.of("web", fromFiles, "files-only", fromFiles));
        Layer cluster = new Layer(Map.of("web", fromCluster));
        LayeredCredentials layered = new LayeredCredentials(List.of(directory, cluster));

        assertThat(layered.credentials().find("shop", "web")).contains(fromCluster);
        assertThat(layered.credentials().find("shop", "files-only")).contains(fromFiles);
        AtomicInteger heard = new AtomicInteger();
        layered.addListener(heard::incrementAndGet);
        directory.change(Map.of());
        cluster.change(Map.of(Credentials.key("shop", "web"), fromCluster));
        assertThat(heard.get()).isEqualTo(2);
        assertThat(layered.credentials().byName()).containsOnlyKeys("shop/web");
        assertThat(new LayeredCredentials(List.of()).credentials().isEmpty()).isTrue();
    }

    @Test
    void theLayersAreMergedOncePerChangeNotOncePerRead() {
        Layer directory = new Layer(Map.of("web", new Credential("c", "k", "")));
        Layer cluster = new Layer(Map.of());
        LayeredCredentials layered = new LayeredCredentials(List.of(directory, cluster));
        AtomicReference<Credentials> seenByListener = new AtomicReference<>();
        layered.addListener(() -> seenByListener.set(layered.credentials()));

        for (int push = 0; push < 5; push++) {
            layered.credentials();
        }
        assertThat(directory.reads().get()).isEqualTo(1);

        cluster.change(Map.of(Credentials.key("shop", "web"), new Credential("c2", "k2", "")));
        assertThat(directory.reads().get()).isEqualTo(2);
        assertThat(seenByListener.get().byName()).as("merged before the listeners hear")
                .containsOnlyKeys("web", "shop/web");
    }
}
