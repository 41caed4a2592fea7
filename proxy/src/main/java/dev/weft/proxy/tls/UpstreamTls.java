package dev.weft.proxy.tls;

import io.netty.handler.ssl.SslContext;
import java.util.List;

/**
 * A cluster's TLS origination, compiled at config time. When the config names no ALPN protocols the offer
 * follows the pool: {@code http2Context} offers h2, {@code http1Context} http/1.1 (the same context when ALPN is
 * configured, or when the cluster only ever uses one of the two pools). Both are null while a named secret is missing; connections then fail (UF).
 * {@code sni} is empty when none is sent.
 */
public record UpstreamTls(SslContext http1Context, SslContext http2Context, String sni, List<String> missingSecrets,
        CertificateMaterial certificate, ValidationMaterial validation) {

    public UpstreamTls {
        missingSecrets = List.copyOf(missingSecrets);
    }

    public boolean ready() {
        return http1Context != null;
    }

    public SslContext context(boolean http2) {
        return http2 ? http2Context : http1Context;
    }
}
