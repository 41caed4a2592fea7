package dev.weft.kube.authn;

import dev.weft.kube.MockApiServer;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatusBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the API server's authenticator does for TokenReview on the mock API server: tokens it issued (JWT-shaped,
 * with an unguessable signature) authenticate as their user for their audiences, as kube-apiserver answers; any
 * other token, or one asked for an audience it lacks, does not.
 */
public final class ServiceAccountTokens {

    public static final String PATH = "/apis/authentication.k8s.io/v1/tokenreviews";

    private record Issued(String username, List<String> groups, List<String> audiences) {
    }

    private final KubernetesSerialization json = new KubernetesSerialization();
    private final Map<String, Issued> issued = new ConcurrentHashMap<>();
    private final AtomicInteger reviews = new AtomicInteger();

    /** Answers the server's TokenReviews from now on. */
    public ServiceAccountTokens on(MockApiServer api) {
        api.answer("POST", PATH, this::review);
        return this;
    }

    /** A projected service-account token, as the kubelet mounts it for a pod. */
    public String serviceAccount(String namespace, String serviceAccount, String audience, Instant expiry) {
        return issue("system:serviceaccount:" + namespace + ":" + serviceAccount,
                List.of("system:serviceaccounts", "system:serviceaccounts:" + namespace, "system:authenticated"),
                audience, expiry);
    }

    /** A token of a user that is no service account (an OIDC user, say). */
    public String user(String username, String audience, Instant expiry) {
        return issue(username, List.of("system:authenticated"), audience, expiry);
    }

    private String issue(String username, List<String> groups, String audience, Instant expiry) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String payload = "{\"aud\":[\"" + audience + "\"],\"exp\":" + expiry.getEpochSecond() + ",\"sub\":\""
                + username + "\"}";
        String token = base64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + base64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "."
                + base64.encodeToString(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        issued.put(token, new Issued(username, groups, List.of(audience)));
        return token;
    }

    /** How many reviews the API server answered. */
    public int reviews() {
        return reviews.get();
    }

    private MockResponse review(RecordedRequest request) {
        reviews.incrementAndGet();
        TokenReview review = json.unmarshal(request.getUtf8Body(), TokenReview.class);
        Issued token = issued.get(review.getSpec().getToken());
        List<String> asked = review.getSpec().getAudiences() == null ? List.of() : review.getSpec().getAudiences();
        TokenReviewStatusBuilder status = new TokenReviewStatusBuilder();
        if (token == null) {
            status.withAuthenticated(false).withError("[invalid bearer token, square/go-jose: error in cryptographic"
                    + " primitive]");
        } else if (!asked.isEmpty() && token.audiences().stream().noneMatch(asked::contains)) {
            status.withAuthenticated(false).withError("[invalid bearer token, token audiences " + token.audiences()
                    + " is invalid for the target audiences " + asked + "]");
        } else {
            List<String> audiences = new ArrayList<>(token.audiences());
            audiences.retainAll(asked.isEmpty() ? token.audiences() : asked);
            status.withAuthenticated(true).withAudiences(audiences).withNewUser().withUsername(token.username())
                    .withGroups(token.groups()).endUser();
        }
        review.setStatus(status.build());
        return new MockResponse().setResponseCode(201).setHeader("Content-Type", "application/json")
                .setBody(json.asJson(review));
    }
}
