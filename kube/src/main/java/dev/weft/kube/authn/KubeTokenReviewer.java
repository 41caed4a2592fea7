package dev.weft.kube.authn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.controlplane.ca.SpiffeId;
import dev.weft.controlplane.ca.TokenRefused;
import dev.weft.controlplane.ca.WorkloadTokens;
import dev.weft.model.EchoedValue;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * istiod's Kubernetes JWT authenticator: a pod's service-account token is sent to the API server's TokenReview
 * (authentication.k8s.io/v1) for the audience {@value #ISTIO_CA}, and a token it authenticates as
 * {@code system:serviceaccount:<ns>:<sa>} names the workload {@code spiffe://<trust domain>/ns/<ns>/sa/<sa>}.
 *
 * <p>A verdict is kept, under the token's SHA-256, until the token expires ({@code exp}; at most
 * {@link #MAX_KEPT}, refusals {@link #REFUSAL_KEPT}) and for at most {@link #MAX_ENTRIES} tokens, least recently used
 * dropped first: a fleet of sidecars asking again and again (each CSR and each ADS stream) costs the API server one
 * review per token. A review the API server could not answer is not kept.
 */
public final class KubeTokenReviewer implements WorkloadTokens {

    /** The audience istio-agent's projected token has and istiod's CA asks for. */
    public static final String ISTIO_CA = "istio-ca";
    static final Duration MAX_KEPT = Duration.ofHours(1);
    static final Duration REFUSAL_KEPT = Duration.ofSeconds(30);
    static final int MAX_ENTRIES = 10_000;
    private static final String SERVICE_ACCOUNTS_GROUP = "system:serviceaccounts";
    private static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";

    private final KubernetesClient client;
    private final String trustDomain;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    /** Access-ordered, guarded by itself. */
    private final Map<String, Verdict> verdicts;

    public KubeTokenReviewer(KubernetesClient client, String trustDomain, Clock clock) {
        this(client, trustDomain, clock, MAX_ENTRIES);
    }

    KubeTokenReviewer(KubernetesClient client, String trustDomain, Clock clock, int maxEntries) {
        this.client = client;
        this.trustDomain = trustDomain;
        this.clock = clock;
        this.verdicts = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Verdict> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /** A review's outcome: the identity, or why there is none; kept until {@code until}. */
    private record Verdict(Optional<SpiffeId> identity, String refusal, Instant until) {

        SpiffeId identityOrThrow() throws TokenRefused {
            if (identity.isEmpty()) {
                throw new TokenRefused(refusal);
            }
            return identity.get();
        }
    }

    @Override
    public SpiffeId identify(String token) throws TokenRefused {
        String key = sha256(token);
        Instant now = clock.instant();
        synchronized (verdicts) {
            Verdict kept = verdicts.get(key);
            if (kept != null && now.isBefore(kept.until())) {
                return kept.identityOrThrow();
            }
        }
        Verdict verdict = review(token, now);
        synchronized (verdicts) {
            verdicts.put(key, verdict);
        }
        return verdict.identityOrThrow();
    }

    private Verdict review(String token, Instant now) throws TokenRefused {
        Claims claims = Claims.read(json, token);
        Instant expiry = claims.expiry().filter(exp -> exp.isBefore(now.plus(MAX_KEPT))).orElse(now.plus(MAX_KEPT));
        Instant refusalExpiry = now.plus(REFUSAL_KEPT).isBefore(expiry) ? now.plus(REFUSAL_KEPT) : expiry;
        TokenReviewStatus status;
        try {
            TokenReview reviewed = client.authentication().v1().tokenReviews().create(new TokenReviewBuilder()
                    .withNewSpec().withToken(token).withAudiences(ISTIO_CA).endSpec().build());
            status = reviewed.getStatus();
        } catch (KubernetesClientException e) {
            throw new TokenRefused("the Kubernetes API could not review the token: " + e.getMessage());
        }
        Optional<String> refusal = refusal(status, claims);
        if (refusal.isPresent()) {
            return new Verdict(Optional.empty(), refusal.get(), refusalExpiry);
        }
        String[] user = status.getUser().getUsername().substring(SERVICE_ACCOUNT_PREFIX.length()).split(":", -1);
        try {
            return new Verdict(Optional.of(new SpiffeId(trustDomain, user[0], user[1])), "", expiry);
        } catch (IllegalArgumentException e) {
            return new Verdict(Optional.empty(), "the service account " + EchoedValue.of(status.getUser().getUsername())
                    + " does not make a SPIFFE ID: " + e.getMessage(), refusalExpiry);
        }
    }

    /** Why the review names no service account, as istiod's checks say it, or empty when it names one. */
    private static Optional<String> refusal(TokenReviewStatus status, Claims claims) {
        if (status == null || !Boolean.TRUE.equals(status.getAuthenticated())) {
            if (!claims.audiences().isEmpty() && !claims.audiences().contains(ISTIO_CA)) {
                return Optional.of("the token is for the audience " + claims.audiences() + ", not " + ISTIO_CA
                        + " (a projected service-account token with audience " + ISTIO_CA + " is needed)");
            }
            String error = status == null || status.getError() == null ? "" : ": " + status.getError();
            return Optional.of("the token is not authenticated by the Kubernetes API" + error);
        }
        if (status.getAudiences() != null && !status.getAudiences().isEmpty()
                && !status.getAudiences().contains(ISTIO_CA)) {
            return Optional.of("the token is for the audience " + status.getAudiences() + ", not " + ISTIO_CA);
        }
        String username = status.getUser() == null ? "" : String.valueOf(status.getUser().getUsername());
        List<String> groups = status.getUser() == null || status.getUser().getGroups() == null ? List.of()
                : status.getUser().getGroups();
        if (!groups.contains(SERVICE_ACCOUNTS_GROUP) || !username.startsWith(SERVICE_ACCOUNT_PREFIX)
                || username.substring(SERVICE_ACCOUNT_PREFIX.length()).split(":", -1).length != 2) {
            return Optional.of("the token is not a service account's: it authenticates "
                    + EchoedValue.of(username));
        }
        return Optional.empty();
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * What the token says of itself, read without verifying it: only to bound how long a verdict is kept and to say
     * why a token for another audience is refused. The API server's review is the verification.
     */
    record Claims(Optional<Instant> expiry, List<String> audiences) {

        static final Claims NONE = new Claims(Optional.empty(), List.of());

        static Claims read(ObjectMapper json, String token) {
            String[] parts = token.split("\\.", -1);
            if (parts.length != 3) {
                return NONE;
            }
            try {
                JsonNode payload = json.readTree(Base64.getUrlDecoder().decode(parts[1]));
                Optional<Instant> expiry = payload.path("exp").isNumber()
                        ? Optional.of(Instant.ofEpochSecond(payload.get("exp").asLong())) : Optional.empty();
                List<String> audiences = new ArrayList<>();
                JsonNode aud = payload.path("aud");
                if (aud.isTextual()) {
                    audiences.add(aud.asText());
                } else {
                    aud.forEach(a -> audiences.add(a.asText()));
                }
                return new Claims(expiry, List.copyOf(audiences));
            } catch (IOException | IllegalArgumentException e) {
                return NONE;
            }
        }
    }
}
