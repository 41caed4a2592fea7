package dev.weft.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import dev.weft.testing.tls.TestPki;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.netty.handler.ssl.OpenSslContext;
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.Test;

/**
 * The proxy's TLS runs on BoringSSL (netty-tcnative, shipped for linux-x86_64) unless told otherwise; every TLS test
 * of the proxy therefore runs on it. A machine where it does not load falls back to the JDK's engine.
 */
class TlsEngineTest {

    @Test
    void boringSslIsTheDefaultWhereItLoads() {
        assertThat(TlsEngine.choose("")).isEqualTo(SslProvider.OPENSSL);
        assertThat(TlsEngine.provider()).isEqualTo(SslProvider.OPENSSL);
        TestPki.Issued web = TestPki.create("mesh-ca").issue("web", "web.example");
        TransportSocket socket = TransportSocket.newBuilder().setName(TlsContextCompiler.TLS).setTypedConfig(Any.pack(
                DownstreamTlsContext.newBuilder().setCommonTlsContext(CommonTlsContext.newBuilder()
                        .addTlsCertificates(TlsCertificate.newBuilder()
                                .setCertificateChain(DataSource.newBuilder().setInlineString(web.certificatePem()))
                                .setPrivateKey(DataSource.newBuilder().setInlineString(web.privateKeyPem()))))
                        .build())).build();
        assertThat(TlsContextCompiler.downstream(socket, SecretLookup.NONE).context()).isInstanceOf(OpenSslContext.class);
    }

    @Test
    void theEngineCanBeForcedAndAWrongNameIsAnError() {
        assertThat(TlsEngine.choose("jdk")).isEqualTo(SslProvider.JDK);
        assertThat(TlsEngine.choose("OpenSSL")).isEqualTo(SslProvider.OPENSSL);
        assertThatThrownBy(() -> TlsEngine.choose("boring")).hasMessage("weft.tls.engine must be jdk or openssl, not \"boring\"");
    }
}
