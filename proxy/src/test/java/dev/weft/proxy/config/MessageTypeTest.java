package dev.weft.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import org.junit.jupiter.api.Test;

class MessageTypeTest {

    private static final MessageType<TcpProxy> TCP_PROXY = MessageType.of(TcpProxy.getDescriptor(), TcpProxy.parser());

    @Test
    void unpacksTheMessageAnAnyCarries() throws InvalidProtocolBufferException {
        TcpProxy proxy = TcpProxy.newBuilder().setStatPrefix("tcp").setCluster("backend").build();
        Any any = Any.pack(proxy);

        assertThat(TCP_PROXY.isIn(any)).isTrue();
        assertThat(TCP_PROXY.unpack(any)).isEqualTo(proxy);
        assertThat(TCP_PROXY.simpleName()).isEqualTo("TcpProxy");
    }

    @Test
    void matchesTheTypeNameAfterTheLastSlashOfAnyPrefix() {
        String name = "envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy";

        assertThat(TCP_PROXY.isIn(Any.newBuilder().setTypeUrl("example.com/x/" + name).build())).isTrue();
        assertThat(TCP_PROXY.isIn(Any.newBuilder().setTypeUrl(name).build())).as("no prefix").isTrue();
        assertThat(TCP_PROXY.isIn(Any.newBuilder().setTypeUrl("type.googleapis.com/" + name + "Extra").build()))
                .isFalse();
        assertThat(TCP_PROXY.isIn(Any.newBuilder().setTypeUrl("type.googleapis.com/x" + name).build())).isFalse();
    }

    @Test
    void anotherTypeIsRefusedAsAnyUnpackRefusesIt() {
        Any router = Any.pack(Router.getDefaultInstance());

        assertThat(TCP_PROXY.isIn(router)).isFalse();
        assertThatThrownBy(() -> TCP_PROXY.unpack(router)).isInstanceOf(InvalidProtocolBufferException.class)
                .hasMessageContaining("envoy.extensions.filters.http.router.v3.Router");
    }
}
