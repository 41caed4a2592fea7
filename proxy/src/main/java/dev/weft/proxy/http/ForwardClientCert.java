package dev.weft.proxy.http;

import dev.weft.proxy.tls.ClientCertificateDetails;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import java.util.Optional;

/**
 * What the connection manager does with {@code x-forwarded-client-cert} (forward_client_cert_details and
 * set_current_client_cert_details). Istio's inbound sidecar appends the caller's identity (APPEND_FORWARD with
 * Subject, DNS and URI), so the app learns who called it; without mutual TLS the header is dropped, since a
 * plain-text client could forge it.
 */
public record ForwardClientCert(Mode mode, ClientCertificateDetails details) {

    public static final String HEADER = "x-forwarded-client-cert";
    public static final ForwardClientCert SANITIZE = new ForwardClientCert(Mode.SANITIZE,
            new ClientCertificateDetails(false, false, false, false, false));

    /** This connection's element, once computed: its client certificate does not change. */
    private static final AttributeKey<Optional<String>> ELEMENT = AttributeKey.valueOf("weft.xfcc-element");

    public enum Mode { SANITIZE, FORWARD_ONLY, APPEND_FORWARD, SANITIZE_SET, ALWAYS_FORWARD_ONLY }

    void apply(HttpHeaders headers, Channel connection) {
        if (mode == Mode.ALWAYS_FORWARD_ONLY) {
            return;
        }
        if (mode == Mode.SANITIZE) {
            headers.remove(HEADER);
            return;
        }
        String element = element(connection);
        if (element == null) {
            headers.remove(HEADER);
            return;
        }
        switch (mode) {
            case APPEND_FORWARD -> {
                String forwarded = headers.get(HEADER);
                headers.set(HEADER, forwarded == null || forwarded.isEmpty() ? element : forwarded + "," + element);
            }
            case SANITIZE_SET -> headers.set(HEADER, element);
            default -> {
                // FORWARD_ONLY: a mutual TLS client's header goes on unchanged.
            }
        }
    }

    private String element(Channel connection) {
        Attribute<Optional<String>> cached = connection.attr(ELEMENT);
        Optional<String> element = cached.get();
        if (element == null) {
            element = Optional.ofNullable(details.element(connection.pipeline().get(SslHandler.class)));
            cached.set(element);
        }
        return element.orElse(null);
    }
}
