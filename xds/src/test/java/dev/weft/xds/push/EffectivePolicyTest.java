package dev.weft.xds.push;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.model.load.ConfigLoader;
import dev.weft.model.networking.DestinationRule;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** SEMANTICS §2: port-level settings replace wholesale; subset fields replace whole objects, no deep merge. */
class EffectivePolicyTest {

    private static MergedDestinationRule rule(String yaml) {
        var loaded = new ConfigLoader().loadString(yaml, "dr.yaml");
        assertThat(loaded.errors()).isEmpty();
        DestinationRule dr = loaded.snapshot().destinationRules().getFirst().spec();
        return new MergedDestinationRule(dr.host(), "default", dr.trafficPolicy(), dr.subsets());
    }

    private static final String RULE = """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: r}
            spec:
              host: reviews
              trafficPolicy:
                loadBalancer: {simple: ROUND_ROBIN}
                connectionPool:
                  tcp: {maxConnections: 10}
                  http: {http1MaxPendingRequests: 5}
                outlierDetection: {consecutive5xxErrors: 3}
                portLevelSettings:
                - port: {number: 9443}
                  connectionPool:
                    tcp: {connectTimeout: 2s}
              subsets:
              - name: v1
                labels: {version: v1}
                trafficPolicy:
                  connectionPool:
                    http: {http2MaxRequests: 7}
              - name: v2
                labels: {version: v2}
                trafficPolicy:
                  portLevelSettings:
                  - port: {number: 9080}
                    loadBalancer: {simple: RANDOM}
            """;

    @Test
    void destinationLevelPolicyAppliesWithoutPortOrSubset() {
        EffectivePolicy policy = rule(RULE).policyFor(9080, null);

        assertThat(policy.connectionPool().tcp().maxConnections()).isEqualTo(10);
        assertThat(policy.outlierDetection().consecutive5xxErrors()).isEqualTo(3);
    }

    @Test
    void portLevelEntryReplacesAllFourFieldsWithDefaultsForOmissions() {
        EffectivePolicy policy = rule(RULE).policyFor(9443, null);

        assertThat(policy.connectionPool().tcp().connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.connectionPool().http()).as("not inherited from the destination level").isNull();
        assertThat(policy.loadBalancer()).isNull();
        assertThat(policy.outlierDetection()).isNull();
    }

    @Test
    void subsetFieldReplacesTheWholeParentObject() {
        EffectivePolicy policy = rule(RULE).policyFor(9080, "v1");

        assertThat(policy.connectionPool().http().http2MaxRequests()).isEqualTo(7);
        assertThat(policy.connectionPool().tcp()).as("a subset connectionPool.http wipes the parent's tcp").isNull();
        assertThat(policy.outlierDetection().consecutive5xxErrors()).as("unset in the subset: inherited").isEqualTo(3);
    }

    @Test
    void subsetPortLevelEntryReplacesAllFourIncludingNulls() {
        EffectivePolicy policy = rule(RULE).policyFor(9080, "v2");

        assertThat(policy.loadBalancer().simple()).hasToString("RANDOM");
        assertThat(policy.connectionPool()).isNull();
        assertThat(policy.outlierDetection()).isNull();
        assertThat(rule(RULE).policyFor(9081, "v2").connectionPool().tcp().maxConnections())
                .as("other ports keep the parent policy").isEqualTo(10);
    }

    @Test
    void unknownSubsetFallsBackToTheServicePolicy() {
        assertThat(rule(RULE).policyFor(9080, "v9")).isEqualTo(rule(RULE).policyFor(9080, null));
    }
}
