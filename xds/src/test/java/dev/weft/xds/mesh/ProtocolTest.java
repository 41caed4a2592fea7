package dev.weft.xds.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProtocolTest {

    @Test
    void infersFromPortNamePrefixLikeIstio() {
        assertThat(Protocol.infer("http", null)).isEqualTo(Protocol.HTTP);
        assertThat(Protocol.infer("http-web", null)).isEqualTo(Protocol.HTTP);
        assertThat(Protocol.infer("HTTP2-api", null)).isEqualTo(Protocol.HTTP2);
        assertThat(Protocol.infer("grpc-reviews", null)).isEqualTo(Protocol.GRPC);
        assertThat(Protocol.infer("grpc-web", null)).isEqualTo(Protocol.GRPC_WEB);
        assertThat(Protocol.infer("tcp-db", null)).isEqualTo(Protocol.TCP);
        assertThat(Protocol.infer("tls", null)).isEqualTo(Protocol.TLS);
        assertThat(Protocol.infer("https-admin", null)).isEqualTo(Protocol.HTTPS);
        assertThat(Protocol.infer("mongo", null)).isEqualTo(Protocol.MONGO);
    }

    @Test
    void namesThatAreNotAProtocolPrefixAreUnsupported() {
        assertThat(Protocol.infer("httpx", null)).isEqualTo(Protocol.UNSUPPORTED);
        assertThat(Protocol.infer("web", null)).isEqualTo(Protocol.UNSUPPORTED);
        assertThat(Protocol.infer("", null)).isEqualTo(Protocol.UNSUPPORTED);
    }

    @Test
    void appProtocolWinsOverName() {
        assertThat(Protocol.infer("tcp-x", "http")).isEqualTo(Protocol.HTTP);
        assertThat(Protocol.infer("web", "kubernetes.io/h2c")).isEqualTo(Protocol.HTTP2);
        assertThat(Protocol.infer("grpc", "unknown-thing")).isEqualTo(Protocol.GRPC);
    }

    @Test
    void classifiesForListenerChoice() {
        assertThat(Protocol.GRPC.isHttp()).isTrue();
        assertThat(Protocol.GRPC.isHttp2()).isTrue();
        assertThat(Protocol.HTTP.isHttp2()).isFalse();
        assertThat(Protocol.HTTPS.isHttp()).isFalse();
        assertThat(Protocol.HTTPS.isTls()).isTrue();
        assertThat(Protocol.TCP.isHttp()).isFalse();
    }
}
