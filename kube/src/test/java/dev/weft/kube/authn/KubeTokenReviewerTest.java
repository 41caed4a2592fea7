package dev.weft.kube.authn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.controlplane.ca.SpiffeId;
import dev.weft.controlplane.ca.TokenRefused;
import dev.weft.kube.MockApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.MockResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Service-account tokens reviewed by the (mock) API server, as istiod's Kubernetes JWT authenticator does. */
class KubeTokenReviewerTest {

    private static final Instant START = Instant.parse("2026-12-07T08:00:00Z");

    private final AtomicReference<Instant> now = new AtomicReference<>(START);
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private MockApiServer api;
    private KubernetesClient client;
    private ServiceAccountTokens tokens;

    @BeforeEach
    void start() {
        api = new MockApiServer();
        client = api.client();
        tokens = new ServiceAccountTokens().on(api);
    }

    @AfterEach
    void stop() {
        client.close();
        api.close();
    }

    @Test
    void aServiceAccountsTokenNamesItsSpiffeIdInTheTrustDomain() throws Exception {
        KubeTokenReviewer reviewer = new KubeTokenReviewer(client, "example.org", clock);
        String token = tokens.serviceAccount("bookinfo", "reviews", "istio-ca", START.plus(Duration.ofHours(1)));
        assertThat(reviewer.identify(token)).isEqualTo(new SpiffeId("example.org", "bookinfo", "reviews"));
    }

    @Test
    void tokensThatNameNoServiceAccountForIstioCaAreRefusedSayingWhy() {
        KubeTokenReviewer reviewer = new KubeTokenReviewer(client, "cluster.local", clock);
        Instant expiry = START.plus(Duration.ofHours(1));
        assertThatThrownBy(() -> reviewer.identify("not.a-token.at-all")).isInstanceOf(TokenRefused.class)
                .hasMessageStartingWith("the token is not authenticated by the Kubernetes API: [invalid bearer token");
        assertThatThrownBy(() -> reviewer.identify(tokens.serviceAccount("default", "sleep", "api", expiry)))
                .isInstanceOf(TokenRefused.class).hasMessage("the token is for the audience [api], not istio-ca (a"
                        + " projected service-account token with audience istio-ca is needed)");
        assertThatThrownBy(() -> reviewer.identify(tokens.user("alice@example.org", "istio-ca", expiry)))
                .isInstanceOf(TokenRefused.class)
                .hasMessage("the token is not a service account's: it authenticates alice@example.org");
    }

    @Test
    void aTokenIsReviewedOnceUntilItExpires() throws Exception {
        KubeTokenReviewer reviewer = new KubeTokenReviewer(client, "cluster.local", clock);
        String token = tokens.serviceAccount("default", "sleep", "istio-ca", START.plus(Duration.ofMinutes(10)));
        for (int i = 0; i < 5; i++) {
            reviewer.identify(token);
        }
        assertThat(tokens.reviews()).as("one review for five calls").isEqualTo(1);

        now.set(START.plus(Duration.ofMinutes(10)));
        reviewer.identify(token);
        assertThat(tokens.reviews()).as("reviewed again once expired").isEqualTo(2);
    }

    @Test
    void aRefusalIsKeptBrieflySoRetriesDoNotReachTheApiServer() {
        KubeTokenReviewer reviewer = new KubeTokenReviewer(client, "cluster.local", clock);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> reviewer.identify("guessed")).isInstanceOf(TokenRefused.class);
        }
        assertThat(tokens.reviews()).isEqualTo(1);
        now.set(START.plus(KubeTokenReviewer.REFUSAL_KEPT));
        assertThatThrownBy(() -> reviewer.identify("guessed")).isInstanceOf(TokenRefused.class);
        assertThat(tokens.reviews()).isEqualTo(2);
    }

    @Test
    void theLeastRecentlyUsedVerdictIsDroppedBeyondTheCap() throws Exception {
        KubeTokenReviewer reviewer = new KubeTokenReviewer(client, "cluster.local", clock, 2);
        Instant expiry = START.plus(Duration.ofHours(1));
        String a = tokens.serviceAccount("default", "a", "istio-ca", expiry);
        String b = tokens.serviceAccount("default", "b", "istio-ca", expiry);
        String c = tokens.serviceAccount("default", "c", "istio-ca", expiry);
        reviewer.identify(a);
        reviewer.identify(b);
        reviewer.identify(a);
        reviewer.identify(c);
        assertThat(tokens.reviews()).isEqualTo(3);
        reviewer.identify(a);
        assertThat(tokens.reviews()).as("a was used after b, so b went").isEqualTo(3);
        reviewer.identify(b);
        assertThat(tokens.reviews()).isEqualTo(4);
    }

    @Test
    void aReviewTheApiServerForbidsIsNotRemembered() throws Exception {
        KubeTokenReviewer reviewer = new KubeTokenReviewer(client, "cluster.local", clock);
        String token = tokens.serviceAccount("default", "sleep", "istio-ca", START.plus(Duration.ofHours(1)));
        // weftd without its tokenreviews rule, until the ClusterRole is fixed.
        api.answer("POST", ServiceAccountTokens.PATH, request -> new MockResponse().setResponseCode(403)
                .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":"
                        + "\"Forbidden\",\"code\":403,\"message\":\"tokenreviews.authentication.k8s.io is forbidden\"}"));
        assertThatThrownBy(() -> reviewer.identify(token)).isInstanceOf(TokenRefused.class)
                .hasMessageStartingWith("the Kubernetes API could not review the token").hasMessageContaining("forbidden");
        tokens.on(api);
        assertThat(reviewer.identify(token).serviceAccount()).isEqualTo("sleep");
    }
}
