package dev.weft.controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.controlplane.config.AppliedConfigFile.Body;
import dev.weft.controlplane.config.ApplyResult.Action;
import dev.weft.controlplane.config.ApplyResult.Outcome;
import dev.weft.model.load.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppliedConfigStoreTest {

    private final AppliedConfigStore store = new AppliedConfigStore(new ConfigLoader());

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
    void eachResourceIsReportedCreatedConfiguredOrUnchangedAndAnUnchangedApplyChangesNothing() {
        AtomicInteger changes = new AtomicInteger();
        store.addListener(changes::incrementAndGet);
        String ratings = DirectoryConfigStoreTest.REVIEWS_VS.replace("name: reviews", "name: ratings");

        ApplyResult first = store.apply(List.of(new Body("reviews.yaml", DirectoryConfigStoreTest.REVIEWS_VS)));
        ApplyResult again = store.apply(List.of(new Body("reviews.yaml", DirectoryConfigStoreTest.REVIEWS_VS)));
        ApplyResult both = store.apply(List.of(new Body("ratings.yaml", ratings),
                new Body("reviews.yaml", DirectoryConfigStoreTest.REVIEWS_VS.replace("host: reviews\n", "host: x\n"))));

        assertThat(first.outcomes()).containsExactly(
                new Outcome("VirtualService default/reviews", Action.CREATED, "reviews.yaml"));
        assertThat(again.outcomes()).containsExactly(
                new Outcome("VirtualService default/reviews", Action.UNCHANGED, "reviews.yaml"));
        assertThat(again.changed()).isEmpty();
        assertThat(both.outcomes()).containsExactly(
                new Outcome("VirtualService default/ratings", Action.CREATED, "ratings.yaml"),
                new Outcome("VirtualService default/reviews", Action.CONFIGURED, "reviews.yaml"));
        assertThat(changes).as("no push for the unchanged apply").hasValue(2);
        assertThat(store.snapshot().virtualServices()).extracting(r -> r.origin().file())
                .containsExactlyInAnyOrder("ratings.yaml", "reviews.yaml");
    }

    @Test
    void aDeleteReportsWhatWasNotThere() {
        store.apply(DirectoryConfigStoreTest.REVIEWS_VS, "a.yaml");
        String ratings = DirectoryConfigStoreTest.REVIEWS_VS.replace("name: reviews", "name: ratings");

        ApplyResult result = store.delete(List.of(new Body("ratings.yaml", ratings),
                new Body("reviews.yaml", DirectoryConfigStoreTest.REVIEWS_VS)));

        assertThat(result.accepted()).isTrue();
        assertThat(result.outcomes()).containsExactly(
                new Outcome("VirtualService default/ratings", Action.NOT_FOUND, "ratings.yaml"),
                new Outcome("VirtualService default/reviews", Action.DELETED, "reviews.yaml"));
        assertThat(result.notFound()).extracting(Outcome::resource).containsExactly("VirtualService default/ratings");
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
        AppliedConfigStore overlay = new AppliedConfigStore(new ConfigLoader(), directory, Optional.empty());
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

    @Test
    void aStoreOverTheSameFileStartsFromEverythingAppliedAndDeleted(@TempDir Path dir) throws Exception {
        Path config = Files.createDirectories(dir.resolve("config"));
        Files.writeString(config.resolve("mesh.yaml"), DirectoryConfigStoreTest.REVIEWS_VS
                + "---\n" + DirectoryConfigStoreTest.REVIEWS_VS.replace("name: reviews", "name: hidden"));
        DirectoryConfigStore directory = new DirectoryConfigStore(config, new ConfigLoader());
        directory.reload();
        AppliedConfigFile file = new AppliedConfigFile(dir.resolve("data/applied.json"));
        AppliedConfigStore first = new AppliedConfigStore(new ConfigLoader(), directory, Optional.of(file));
        String toRatings = DirectoryConfigStoreTest.REVIEWS_VS.replace("host: reviews\n", "host: ratings\n");
        String two = DirectoryConfigStoreTest.REVIEWS_VS.replace("name: reviews", "name: a") + "---\n"
                + DirectoryConfigStoreTest.REVIEWS_VS.replace("name: reviews", "name: b");
        first.apply(two, "<apply>");
        first.apply(toRatings, "<apply>");
        first.apply(DirectoryConfigStoreTest.REVIEWS_VS.replace("name: reviews", "name: b")
                .replace("host: reviews\n", "host: ratings\n"), "<apply>");
        first.delete(DirectoryConfigStoreTest.REVIEWS_VS.replace("name: reviews", "name: hidden"), "<delete>");

        AppliedConfigStore restarted = new AppliedConfigStore(new ConfigLoader(), directory, Optional.of(file));

        assertThat(describe(restarted)).isEqualTo(describe(first))
                .containsExactlyInAnyOrder("a->reviews.default.svc.cluster.local <apply>",
                        "b->ratings.default.svc.cluster.local <apply>", "reviews->ratings.default.svc.cluster.local <apply>");
        assertThat(file.read().bodies()).as("the first body is kept for a, the others only while in force").hasSize(3);
        restarted.delete(two, "<delete>");
        assertThat(describe(new AppliedConfigStore(new ConfigLoader(), directory, Optional.of(file))))
                .containsExactly("reviews->ratings.default.svc.cluster.local <apply>");
        assertThat(file.read().bodies()).hasSize(1);
    }

    @Test
    void aChangeThatCannotBeSavedIsNotMade(@TempDir Path dir) throws Exception {
        Path blocked = Files.writeString(dir.resolve("not-a-directory"), "");
        AppliedConfigStore unsaved = new AppliedConfigStore(new ConfigLoader(), new AppliedConfigStore(new ConfigLoader()),
                Optional.of(new AppliedConfigFile(blocked.resolve("applied.json"))));

        ApplyResult result = unsaved.apply(DirectoryConfigStoreTest.REVIEWS_VS, "<apply>");

        assertThat(result.accepted()).isFalse();
        assertThat(result.errors()).singleElement().satisfies(e -> assertThat(e.message())
                .startsWith("not changed: weftd cannot save the change to " + blocked.resolve("applied.json")));
        assertThat(unsaved.snapshot().virtualServices()).isEmpty();
    }

    @Test
    void anUnreadableSavedFileStopsTheStoreFromStarting(@TempDir Path dir) throws Exception {
        Path garbage = Files.writeString(dir.resolve("applied.json"), "{not json");

        assertThatThrownBy(() -> new AppliedConfigStore(new ConfigLoader(), new AppliedConfigStore(new ConfigLoader()),
                Optional.of(new AppliedConfigFile(garbage))))
                .hasMessageContaining("cannot read the applied config " + garbage);
    }

    private static java.util.List<String> describe(AppliedConfigStore store) {
        return store.snapshot().virtualServices().stream().map(vs -> vs.name() + "->"
                + vs.spec().http().getFirst().route().getFirst().destination().host() + " " + vs.origin().file()).toList();
    }
}
