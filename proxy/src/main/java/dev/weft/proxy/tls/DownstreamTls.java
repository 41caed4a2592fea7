package dev.weft.proxy.tls;

import io.netty.handler.ssl.SslContext;
import java.util.List;

/**
 * A filter chain's TLS termination, compiled at config time. {@code context} is null while secrets named by the
 * config have not arrived ({@code missingSecrets}); such a listener warms.
 */
public record DownstreamTls(SslContext context, List<String> missingSecrets, CertificateMaterial certificate,
        ValidationMaterial validation) {

    public DownstreamTls {
        missingSecrets = List.copyOf(missingSecrets);
    }

    public boolean ready() {
        return context != null;
    }
}
