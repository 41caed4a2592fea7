package dev.weft.proxy.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * The TLS implementation behind every context the proxy builds: BoringSSL through netty-tcnative where its native
 * library loads (what Envoy uses, and far cheaper per handshake and per byte than the JDK's engine), else the JDK's.
 * {@code -Dweft.tls.engine=jdk} or {@code =openssl} forces one; forcing openssl where it cannot load is an error at
 * start, not a silent fallback.
 */
public final class TlsEngine {

    public static final String PROPERTY = "weft.tls.engine";
    private static final Logger LOG = Logger.getLogger(TlsEngine.class.getName());
    private static final SslProvider PROVIDER = choose(System.getProperty(PROPERTY, ""));

    private TlsEngine() {
    }

    /** The provider contexts are built with. */
    public static SslProvider provider() {
        return PROVIDER;
    }

    static SslProvider choose(String forced) {
        switch (forced.toLowerCase(Locale.ROOT)) {
            case "jdk":
                return SslProvider.JDK;
            case "openssl":
                if (!OpenSsl.isAvailable()) {
                    throw new IllegalStateException(PROPERTY + "=openssl, but netty-tcnative does not load: "
                            + OpenSsl.unavailabilityCause());
                }
                return SslProvider.OPENSSL;
            case "":
                if (OpenSsl.isAvailable()) {
                    return SslProvider.OPENSSL;
                }
                LOG.info("TLS through the JDK's engine: netty-tcnative does not load (" + OpenSsl.unavailabilityCause()
                        + ")");
                return SslProvider.JDK;
            default:
                throw new IllegalStateException(PROPERTY + " must be jdk or openssl, not \"" + forced + "\"");
        }
    }
}
