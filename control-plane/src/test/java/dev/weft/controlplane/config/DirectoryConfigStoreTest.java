package dev.weft.controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.model.load.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryConfigStoreTest {

    static final String REVIEWS_VS = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata:
              name: reviews
              namespace: default
            spec:
              hosts:
              - reviews
              http:
              - route:
                - destination:
                    host: reviews
            """;

    static final String INVALID_VS = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata:
              name: broken
              namespace: default
            spec:
              hosts:
              - ratings
              http:
              - route:
                - destination:
                    host: ratings
                  weight: -5
            """;

    @TempDir
    Path dir;

    @Test
    void loadsTheDirectoryAndNotifies() throws Exception {
        Files.writeString(dir.resolve("reviews.yaml"), REVIEWS_VS);
        DirectoryConfigStore store = new DirectoryConfigStore(dir, new ConfigLoader());
        AtomicInteger changes = new AtomicInteger();
        store.addListener(changes::incrementAndGet);

        assertThat(store.reload()).isTrue();

        assertThat(store.snapshot().virtualServices()).extracting(r -> r.name()).containsExactly("reviews");
        assertThat(store.errors()).isEmpty();
        assertThat(changes).hasValue(1);
    }

    @Test
    void anInvalidFileIsRejectedAndTheLastGoodConfigStays() throws Exception {
        Files.writeString(dir.resolve("reviews.yaml"), REVIEWS_VS);
        DirectoryConfigStore store = new DirectoryConfigStore(dir, new ConfigLoader());
        store.reload();
        AtomicInteger changes = new AtomicInteger();
        store.addListener(changes::incrementAndGet);

        Files.writeString(dir.resolve("broken.yaml"), INVALID_VS);

        assertThat(store.reload()).isFalse();
        assertThat(store.snapshot().virtualServices()).extracting(r -> r.name()).containsExactly("reviews");
        assertThat(store.errors()).isNotEmpty();
        assertThat(store.errors().getFirst().toString()).contains("broken.yaml").contains("weight");
        assertThat(changes).hasValue(0);

        Files.delete(dir.resolve("broken.yaml"));
        assertThat(store.reload()).isTrue();
        assertThat(store.errors()).isEmpty();
    }

    @Test
    void aFileOverTheLoadersLimitsIsRejectedWithItsMessage() throws Exception {
        Files.writeString(dir.resolve("reviews.yaml"), REVIEWS_VS);
        DirectoryConfigStore store = new DirectoryConfigStore(dir, new ConfigLoader());
        store.reload();

        Files.writeString(dir.resolve("big.yaml"),
                REVIEWS_VS.replace("name: reviews", "name: big") + "  tcp: [" + "x".repeat(1_600_000) + "]\n");

        assertThat(store.reload()).isFalse();
        assertThat(store.snapshot().virtualServices()).extracting(r -> r.name()).containsExactly("reviews");
        assertThat(store.errors()).extracting(Object::toString).containsExactly(dir.resolve("big.yaml")
                + ":1: document too large: more than 1572864 characters (Kubernetes keeps objects of at most 1.5 MiB)");
    }

    @Test
    void aMissingDirectoryIsAClearError() {
        DirectoryConfigStore store = new DirectoryConfigStore(dir.resolve("absent"), new ConfigLoader());

        org.assertj.core.api.Assertions.assertThatThrownBy(store::start)
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("is not a directory");
    }

    @Test
    void watchesForChanges() throws Exception {
        try (DirectoryConfigStore store = new DirectoryConfigStore(dir, new ConfigLoader())) {
            store.start();
            assertThat(store.snapshot().virtualServices()).isEmpty();

            Files.createDirectories(dir.resolve("nested"));
            Files.writeString(dir.resolve("nested/reviews.yaml"), REVIEWS_VS);

            await().atMost(Duration.ofSeconds(10)).until(() -> store.snapshot().virtualServices().size() == 1);
        }
    }
}
