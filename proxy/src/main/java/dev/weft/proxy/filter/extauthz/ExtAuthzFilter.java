package dev.weft.proxy.filter.extauthz;

import dev.weft.proxy.streaminfo.ResponseCodeDetails;
import dev.weft.proxy.filter.FilterStatus;
import dev.weft.proxy.filter.HttpFilter;
import dev.weft.proxy.filter.StreamFilterCallbacks;
import dev.weft.proxy.streaminfo.ResponseFlag;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Map;

/**
 * Envoy's ext_authz HTTP filter on one request: asks the authorization service (after buffering the body's first
 * bytes when {@code with_request_body} says so) and holds the request until it answers. Allowed: the service's
 * headers go onto the request (and later the response) and the chain goes on. Denied: the client gets the service's
 * status, headers and body, flag UAEX. No answer: {@code status_on_error} (403) with UAEX, or on with
 * {@code failure_mode_allow}. It runs only when {@code filter_enabled} draws it and {@code filter_enabled_metadata}
 * matches the request's dynamic metadata (Istio's CUSTOM action: the RBAC shadow policy that matched).
 */
final class ExtAuthzFilter implements HttpFilter {

    private final ExtAuthzConfig config;
    private AuthzCall call;
    private HttpHeaders responseHeaders;
    /** Whether onRequestHeaders is still running: a decision made by then continues by returning, not resuming. */
    private boolean inHeaders;
    private boolean allowedInHeaders;

    ExtAuthzFilter(ExtAuthzConfig config) {
        this.config = config;
    }

    @Override
    public FilterStatus onRequestHeaders(StreamFilterCallbacks stream) {
        inHeaders = true;
        try {
            return start(stream);
        } finally {
            inHeaders = false;
        }
    }

    private FilterStatus start(StreamFilterCallbacks stream) {
        if (!enabled(stream)) {
            config.stats().disabled().increment();
            if (config.denyAtDisable()) {
                stream.markDenial();
                stream.sendLocalReply(config.statusOnError(), "", ResponseFlag.UNAUTHORIZED_EXTERNAL_SERVICE,
                        ResponseCodeDetails.EXT_AUTHZ_DENIED);
                return FilterStatus.STOP;
            }
            return FilterStatus.CONTINUE;
        }
        if (config.maxBodyBytes() == 0) {
            call = config.service().check(stream, null, result -> decided(stream, result));
            return allowedInHeaders ? FilterStatus.CONTINUE : FilterStatus.STOP;
        }
        long length = HttpUtil.getContentLength(stream.request(), -1L);
        if (!config.allowPartialBody() && length > config.maxBodyBytes()) {
            stream.sendLocalReply(413, "Payload Too Large", null, ResponseCodeDetails.REQUEST_PAYLOAD_TOO_LARGE);
            return FilterStatus.STOP;
        }
        stream.peekRequestBody(config.maxBodyBytes(), body -> withBody(stream, body));
        return allowedInHeaders ? FilterStatus.CONTINUE : FilterStatus.STOP;
    }

    private boolean enabled(StreamFilterCallbacks stream) {
        if (config.enabledNumerator() < config.enabledDenominator()
                && stream.worker().random().nextInt(config.enabledDenominator()) >= config.enabledNumerator()) {
            return false;
        }
        return config.enabledMetadata() == null || config.enabledMetadata().matches(stream.dynamicMetadata());
    }

    private void withBody(StreamFilterCallbacks stream, ByteBuf body) {
        if (!config.allowPartialBody() && stream.requestHasBody() && !stream.requestComplete()
                && body.readableBytes() >= config.maxBodyBytes()) {
            body.release();
            stream.sendLocalReply(413, "Payload Too Large", null, ResponseCodeDetails.REQUEST_PAYLOAD_TOO_LARGE);
            return;
        }
        call = config.service().check(stream, body, result -> decided(stream, result));
    }

    /** The service answered (perhaps at once, before onRequestHeaders returned). */
    private void decided(StreamFilterCallbacks stream, AuthzResult result) {
        call = null;
        switch (result) {
            case AuthzResult.Ok ok -> {
                config.stats().ok().increment();
                HttpHeaders headers = stream.request().headers();
                ok.remove().forEach(headers::remove);
                ok.set().forEach(h -> headers.set(h.getKey(), h.getValue()));
                ok.append().forEach(h -> headers.add(h.getKey(), h.getValue()));
                responseHeaders = ok.responseHeaders();
                proceed(stream);
            }
            case AuthzResult.Denied denied -> {
                config.stats().denied().increment();
                stream.addFlag(ResponseFlag.UNAUTHORIZED_EXTERNAL_SERVICE);
                DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.valueOf(denied.status()), Unpooled.wrappedBuffer(denied.body()));
                response.headers().add(denied.headers());
                HttpUtil.setContentLength(response, denied.body().length);
                stream.markDenial();
                stream.setResponseCodeDetails(ResponseCodeDetails.EXT_AUTHZ_DENIED);
                stream.sendResponseHeaders(response);
            }
            case AuthzResult.Error error -> {
                config.stats().error().increment();
                if (config.failureModeAllow()) {
                    config.stats().failureModeAllowed().increment();
                    proceed(stream);
                } else {
                    stream.markDenial();
                    stream.sendLocalReply(config.statusOnError(), "", ResponseFlag.UNAUTHORIZED_EXTERNAL_SERVICE,
                            ResponseCodeDetails.EXT_AUTHZ_ERROR);
                }
            }
        }
    }

    /** Lets the request go on: by returning CONTINUE when still inside onRequestHeaders, else by resuming. */
    private void proceed(StreamFilterCallbacks stream) {
        if (inHeaders) {
            allowedInHeaders = true;
        } else {
            stream.resume();
        }
    }

    @Override
    public void onResponseHeaders(StreamFilterCallbacks stream, HttpResponse response) {
        if (responseHeaders != null) {
            for (Map.Entry<String, String> h : responseHeaders) {
                response.headers().add(h.getKey(), h.getValue());
            }
        }
    }

    @Override
    public void onComplete(StreamFilterCallbacks stream) {
        if (call != null) {
            call.cancel();
            call = null;
        }
    }
}
