package dev.weft.controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.model.load.ConfigLoader;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InMemoryConfigStoreTest {

    private final InMemoryConfigStore store = new InMemoryConfigStore(new ConfigLoader());

    @Test
    void applyCreatesAndReplacesThenDeleteRemoves() {
        AtomicInteger changes = new AtomicInteger();
        store.addListener(changes::incrementAndGet);

        ApplyResult created = store.apply(DirectoryConfigStoreTest.REVIEWS_VS, "a.yaml");
        assertThat(created.accepted()).isTrue();
        assertThat(created.changed()).containsExactly("VirtualService default/reviews");
        store.apply(DirectoryConfigStoreTest.REVIEWS_VS.replace("host: reviews\n", "host: ratings\n"), "b.yaml");

        assertThat(store.snapshot().virtualServices()).hasSize(1);
        assertThat(store.snapshot().virtualServices().getFirst().spec().http().getFirst().route().getFirst()
                .destination().host()).isEqualTo("ratings.default.svc.cluster.local");

        ApplyResult deleted = store.delete(DirectoryConfigStoreTest.REVIEWS_VS, "c.yaml");
        assertThat(deleted.changed()).containsExactly("VirtualService default/reviews");
        assertThat(store.snapshot().virtualServices()).isEmpty();
        assertThat(changes).hasValue(3);
    }

    @Test
    void invalidApplyChangesNothingAndSaysWhy() {
        store.apply(DirectoryConfigStoreTest.REVIEWS_VS, "a.yaml");

        ApplyResult rejected = store.apply(DirectoryConfigStoreTest.REVIEWS_VS + "---\n"
                + DirectoryConfigStoreTest.INVALID_VS, "bad.yaml");

        assertThat(rejected.accepted()).isFalse();
        assertThat(rejected.changed()).isEmpty();
        assertThat(rejected.errors()).anySatisfy(e -> assertThat(e.toString()).contains("bad.yaml"));
        assertThat(store.snapshot().virtualServices()).extracting(r -> r.name()).containsExactly("reviews");
        assertThat(store.errors()).isNotEmpty();
    }

    @Test
    void deletingWhatIsNotThereChangesNothing() {
        ApplyResult result = store.delete(DirectoryConfigStoreTest.REVIEWS_VS, "x.yaml");

        assertThat(result.accepted()).isTrue();
        assertThat(result.changed()).isEmpty();
    }
}
