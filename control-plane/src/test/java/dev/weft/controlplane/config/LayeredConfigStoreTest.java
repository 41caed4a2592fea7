package dev.weft.controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.model.ConfigError;
import dev.weft.model.Kind;
import dev.weft.model.load.ConfigLoader;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LayeredConfigStoreTest {

    private static final String REVIEWS = """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews, namespace: default}
            spec:
              host: reviews
              trafficPolicy: {loadBalancer: {simple: %s}}
            """;
    private static final String RATINGS = """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: ratings, namespace: default}
            spec: {host: ratings}
            """;

    private final ConfigLoader loader = new ConfigLoader();
    private final AppliedConfigStore lower = new AppliedConfigStore(loader);
    private final AppliedConfigStore upper = new AppliedConfigStore(loader);
    private final LayeredConfigStore layered = new LayeredConfigStore(List.of(lower, upper));

    @Test
    void aLaterLayerReplacesTheSameResourceAndTheRestIsKept() {
        lower.apply(REVIEWS.formatted("RANDOM") + "---\n" + RATINGS, "lower.yaml");
        upper.apply(REVIEWS.formatted("LEAST_REQUEST"), "upper.yaml");

        assertThat(layered.snapshot().ofKind(Kind.DESTINATION_RULE)).hasSize(2);
        assertThat(layered.snapshot().find(Kind.DESTINATION_RULE, "default", "reviews").orElseThrow().origin().file())
                .isEqualTo("upper.yaml");
        assertThat(layered.snapshot()).as("built once while no layer changed").isSameAs(layered.snapshot());
    }

    @Test
    void eachLayersChangesAndErrorsComeThrough() {
        AtomicInteger changes = new AtomicInteger();
        layered.addListener(changes::incrementAndGet);
        lower.apply(RATINGS, "lower.yaml");
        upper.apply(REVIEWS.formatted("NO_SUCH_POLICY"), "upper.yaml");

        assertThat(changes).hasValue(1);
        assertThat(layered.errors()).extracting(ConfigError::file).containsExactly("upper.yaml");
        assertThat(layered.snapshot().ofKind(Kind.DESTINATION_RULE)).hasSize(1);
    }
}
