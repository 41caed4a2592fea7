package dev.weft.xds.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.model.networking.HTTPRetry;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import org.junit.jupiter.api.Test;

/** Istio's retry.go rules: the default policy, attempts 0, and which fields a VirtualService overrides. */
class RetryPoliciesTest {

    private static final String PREVIOUS_HOSTS = "envoy.retry_host_predicates.previous_hosts";

    @Test
    void withoutRetriesARouteGetsIstiosDefaultWhichDoesNotRetryAnAppsServiceUnavailable() {
        RetryPolicy p = RetryPolicies.of(null, false).orElseThrow();
        assertThat(p.getRetryOn()).isEqualTo("connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes");
        assertThat(p.getNumRetries().getValue()).isEqualTo(2);
        assertThat(p.getRetriableStatusCodesList()).as("EXCLUDE_UNSAFE_503_FROM_DEFAULT_RETRY, true since Istio 1.24").isEmpty();
        assertThat(p.getHostSelectionRetryMaxAttempts()).isEqualTo(5);
        assertThat(p.getRetryHostPredicateList()).extracting(RetryPolicy.RetryHostPredicate::getName).containsExactly(PREVIOUS_HOSTS);
        assertThat(RetryPolicies.of(null, true).orElseThrow().getRetryHostPredicateList()).isEmpty();
    }

    @Test
    void zeroAttemptsMeansNoRetryPolicy() {
        assertThat(RetryPolicies.of(new HTTPRetry(0, null, "5xx", null, null, null), false)).isEmpty();
    }

    @Test
    void attemptsAloneKeepTheDefaultConditions() {
        RetryPolicy p = RetryPolicies.of(new HTTPRetry(4, null, null, true, null, null), false).orElseThrow();
        assertThat(p.getNumRetries().getValue()).isEqualTo(4);
        assertThat(p.getRetryOn()).isEqualTo(RetryPolicies.DEFAULT_RETRY_ON);
        assertThat(p.getRetryPriority().getName()).as("retryRemoteLocalities").isEqualTo("envoy.retry_priorities.previous_priorities");
    }

    @Test
    void statusCodesInRetryOnBecomeRetriableStatusCodes() {
        RetryPolicy p = RetryPolicies.of(new HTTPRetry(3, null, "gateway-error,503", null, null, null), false).orElseThrow();
        assertThat(p.getRetryOn()).isEqualTo("gateway-error,retriable-status-codes");
        assertThat(p.getRetriableStatusCodesList()).containsExactly(503);
    }

    @Test
    void anExplicitRetryIgnorePreviousHostsWinsOverTheDefault() {
        assertThat(RetryPolicies.of(new HTTPRetry(1, null, null, null, true, null), true).orElseThrow()
                .getRetryHostPredicateList()).as("set under consistent hashing").hasSize(1);
        assertThat(RetryPolicies.of(new HTTPRetry(1, null, null, null, false, null), false).orElseThrow()
                .getRetryHostPredicateList()).isEmpty();
    }
}
