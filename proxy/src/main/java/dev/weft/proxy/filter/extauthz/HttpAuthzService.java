package dev.weft.proxy.filter.extauthz;

import dev.weft.proxy.filter.StreamFilterCallbacks;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * ext_authz's {@code http_service}, as Envoy's: the check is the client's request with {@code path_prefix} before its
 * path, its Host, Authorization and the headers {@code allowed_headers} matches (no others), {@code headers_to_add},
 * and the buffered body if any (Content-Length says its size, 0 without). A 200 allows: the response headers
 * {@code allowed_upstream_headers} matches replace the request's (…{@code _to_append} ones are appended), and
 * {@code allowed_client_headers_on_success} ones go to the client's response. A 5xx (or no response) is an error.
 * Any other status denies: the client gets that status, the body, and the headers {@code allowed_client_headers}
 * matches plus WWW-Authenticate and Location (all but Host when the list is not set).
 */
final class HttpAuthzService implements AuthzService {

    private static final Set<String> ALWAYS_SENT = Set.of("host", "authorization");
    private static final Set<String> ALWAYS_TO_CLIENT = Set.of("www-authenticate", "location");
    private static final Set<String> NEVER_TO_CLIENT = Set.of("host", "content-length", "transfer-encoding",
            "connection", "keep-alive");

    record Settings(String cluster, Duration timeout, String pathPrefix, HeaderNames allowedHeaders,
            HeaderNames disallowedHeaders, List<Map.Entry<String, String>> headersToAdd, HeaderNames upstreamHeaders,
            HeaderNames upstreamHeadersToAppend, HeaderNames clientHeaders, HeaderNames clientHeadersOnSuccess) {

        Settings {
            headersToAdd = List.copyOf(headersToAdd);
        }
    }

    private final Settings settings;

    HttpAuthzService(Settings settings) {
        this.settings = settings;
    }

    @Override
    public AuthzCall check(StreamFilterCallbacks stream, ByteBuf body, Consumer<AuthzResult> done) {
        ByteBuf content = body != null ? body : Unpooled.EMPTY_BUFFER;
        FullHttpRequest check = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, stream.request().method(),
                settings.pathPrefix() + stream.request().uri(), content);
        for (Map.Entry<String, String> h : stream.request().headers()) {
            if (sent(h.getKey())) {
                check.headers().add(h.getKey(), h.getValue());
            }
        }
        for (Map.Entry<String, String> h : settings.headersToAdd()) {
            check.headers().set(h.getKey(), h.getValue());
        }
        check.headers().set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        return AuthzCall.start(stream.snapshot(), stream.worker(), settings.cluster(), false, check, settings.timeout(),
                reply -> done.accept(decide(reply)));
    }

    private boolean sent(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (settings.disallowedHeaders() != null && settings.disallowedHeaders().matches(name)) {
            return false;
        }
        return ALWAYS_SENT.contains(lower)
                || (settings.allowedHeaders() != null && settings.allowedHeaders().matches(name));
    }

    private AuthzResult decide(AuthzCall.Reply reply) {
        if (reply == null || reply.head().status().code() >= 500) {
            return new AuthzResult.Error();
        }
        HttpHeaders headers = reply.head().headers();
        if (reply.head().status().code() == 200) {
            return new AuthzResult.Ok(HeaderNames.select(settings.upstreamHeaders(), headers),
                    HeaderNames.select(settings.upstreamHeadersToAppend(), headers), List.of(),
                    HeaderNames.select(settings.clientHeadersOnSuccess(), headers));
        }
        HttpHeaders toClient = new DefaultHttpHeaders();
        for (Map.Entry<String, String> h : headers) {
            String lower = h.getKey().toLowerCase(Locale.ROOT);
            if (!NEVER_TO_CLIENT.contains(lower) && (settings.clientHeaders() == null
                    || settings.clientHeaders().matches(h.getKey()) || ALWAYS_TO_CLIENT.contains(lower))) {
                toClient.add(h.getKey(), h.getValue());
            }
        }
        return new AuthzResult.Denied(reply.head().status().code(), toClient, reply.body());
    }
}
