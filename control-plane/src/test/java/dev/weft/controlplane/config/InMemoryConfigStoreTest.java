package dev.weft.controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.model.load.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void appliedConfigOverridesTheDirectoryAndDeleteHidesWhatTheDirectoryHolds(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("reviews.yaml"), DirectoryConfigStoreTest.REVIEWS_VS);
        DirectoryConfigStore directory = new DirectoryConfigStore(dir, new ConfigLoader());
        directory.reload();
        InMemoryConfigStore overlay = new InMemoryConfigStore(new ConfigLoader(), directory);
        AtomicInteger changes = new AtomicInteger();
        overlay.addListener(changes::incrementAndGet);
        assertThat(overlay.snapshot().virtualServices()).extracting(r -> r.name()).containsExactly("reviews");

        overlay.apply(DirectoryConfigStoreTest.REVIEWS_VS.replace("host: reviews\n", "host: ratings\n"), "a.yaml");
        assertThat(overlay.snapshot().virtualServices()).singleElement().satisfies(vs -> assertThat(
                vs.spec().http().getFirst().route().getFirst().destination().host())
                .isEqualTo("ratings.default.svc.cluster.local"));

        ApplyResult deleted = overlay.delete(DirectoryConfigStoreTest.REVIEWS_VS, "b.yaml");
        assertThat(deleted.changed()).containsExactly("VirtualService default/reviews");
        assertThat(overlay.snapshot().virtualServices()).as("the directory's copy is hidden too").isEmpty();
        assertThat(overlay.delete(DirectoryConfigStoreTest.REVIEWS_VS, "c.yaml").changed()).isEmpty();

        Files.writeString(dir.resolve("other.yaml"), DirectoryConfigStoreTest.REVIEWS_VS.replace("name: reviews", "name: other"));
        directory.reload();
        assertThat(overlay.snapshot().virtualServices()).extracting(r -> r.name())
                .as("a directory change reaches the overlay, the deleted one stays deleted").containsExactly("other");

        overlay.apply(DirectoryConfigStoreTest.REVIEWS_VS, "d.yaml");
        assertThat(overlay.snapshot().virtualServices()).extracting(r -> r.name()).containsExactlyInAnyOrder("reviews", "other");
        assertThat(changes).hasValue(4);
    }
}
