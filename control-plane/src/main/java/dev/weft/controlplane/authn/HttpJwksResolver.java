package dev.weft.controlplane.authn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.xds.authn.JwksResolver;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * istiod's JwksResolver: fetches a rule's key set (its {@code jwksUri}, or the {@code jwks_uri} of the issuer's
 * OpenID configuration) with the JDK HTTP client the first time a push asks, keeps it, and fetches every known one
 * again on {@link #refresh()} (Istio: every 20 minutes), keeping the last good keys when a refresh fails. A key set
 * never fetched is {@link JwksResolver#failClosed fail-closed} (logged), so its tokens are rejected until a
 * refresh gets it.
 */
public final class HttpJwksResolver implements JwksResolver {

    /** Istio's PILOT_JWT_PUB_KEY_REFRESH_INTERVAL default. */
    public static final Duration REFRESH_INTERVAL = Duration.ofMinutes(20);

    private static final Logger LOG = Logger.getLogger(HttpJwksResolver.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OPENID_CONFIGURATION = "/.well-known/openid-configuration";

    private record Source(String issuer, String jwksUri, Duration timeout) {
    }

    private record Keys(String jwks, boolean fetched) {
    }

    private final HttpClient http;
    private final Map<Source, Keys> cache = new ConcurrentHashMap<>();

    public HttpJwksResolver(HttpClient http) {
        this.http = Objects.requireNonNull(http, "http");
    }

    @Override
    public String jwks(String issuer, String jwksUri, Duration timeout) {
        Source source = new Source(jwksUri.isEmpty() ? issuer : "", jwksUri, timeout);
        return cache.computeIfAbsent(source, this::fetchOrFailClosed).jwks();
    }

    /**
     * Fetches every key set asked for so far again.
     *
     * @return whether any changed, so the proxies need a push
     */
    public boolean refresh() {
        boolean changed = false;
        for (Map.Entry<Source, Keys> e : cache.entrySet()) {
            Keys now;
            try {
                now = new Keys(fetch(e.getKey()), true);
            } catch (IOException | RuntimeException ex) {
                LOG.warning("refreshing JWKS " + describe(e.getKey()) + " failed, keeping the last keys: " + ex);
                continue;
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return changed;
            }
            if (!now.equals(e.getValue())) {
                cache.put(e.getKey(), now);
                changed = true;
            }
        }
        return changed;
    }

    private Keys fetchOrFailClosed(Source source) {
        try {
            return new Keys(fetch(source), true);
        } catch (IOException | RuntimeException e) {
            LOG.warning("fetching JWKS " + describe(source) + " failed; its tokens are rejected until a refresh gets it: "
                    + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Keys(JwksResolver.failClosed(source.jwksUri().isEmpty() ? source.issuer() : source.jwksUri()),
                false);
    }

    private String fetch(Source source) throws IOException, InterruptedException {
        String uri = source.jwksUri();
        if (uri.isEmpty()) {
            JsonNode discovery = JSON.readTree(get(source.issuer() + OPENID_CONFIGURATION, source.timeout()));
            uri = discovery.path("jwks_uri").asText("");
            if (uri.isEmpty()) {
                throw new IOException(source.issuer() + OPENID_CONFIGURATION + " names no jwks_uri");
            }
        }
        String body = get(uri, source.timeout());
        if (!JSON.readTree(body).path("keys").isArray()) {
            throw new IOException(uri + " is not a JWK set (no \"keys\" array)");
        }
        return body;
    }

    private String get(String uri, Duration timeout) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(uri)).timeout(timeout).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(uri + " answered " + response.statusCode());
        }
        return response.body();
    }

    private static String describe(Source source) {
        return source.jwksUri().isEmpty() ? "of issuer " + source.issuer() : source.jwksUri();
    }
}
