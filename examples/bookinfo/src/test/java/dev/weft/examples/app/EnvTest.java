package dev.weft.examples.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvTest {
    @Test
    void listenAddressDefaultsToLoopbackAndTheAppsPort() {
        assertThat(ListenAddress.fromEnv(Env.of(Map.of()), 9080)).isEqualTo(new ListenAddress("127.0.0.1", 9080));
        assertThat(ListenAddress.fromEnv(Env.of(Map.of("PORT", "15080", "BIND", "0.0.0.0")), 9080))
                .isEqualTo(new ListenAddress("0.0.0.0", 15080));
    }

    @Test
    void blankValuesCountAsUnset() {
        assertThat(Env.of(Map.of("PORT", "  ")).port("PORT", 8000)).isEqualTo(8000);
    }

    @Test
    void portsMustBeInRange() {
        assertThatThrownBy(() -> Env.of(Map.of("PORT", "65536")).port("PORT", 1))
                .isInstanceOf(Env.InvalidSettingException.class)
                .hasMessage("PORT=\"65536\" is invalid: expected a port number from 0 to 65535");
    }

    @Test
    void durationsUseIstiosNotation() {
        Env env = Env.of(Map.of("A", "3s", "B", "2.5s", "C", "250ms", "D", "1m"));

        assertThat(env.duration("A", Duration.ZERO)).isEqualTo(Duration.ofSeconds(3));
        assertThat(env.duration("B", Duration.ZERO)).isEqualTo(Duration.ofMillis(2500));
        assertThat(env.duration("C", Duration.ZERO)).isEqualTo(Duration.ofMillis(250));
        assertThat(env.duration("D", Duration.ZERO)).isEqualTo(Duration.ofMinutes(1));
        assertThat(env.duration("UNSET", Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
        assertThatThrownBy(() -> Env.of(Map.of("T", "3")).duration("T", Duration.ZERO))
                .hasMessage("T=\"3\" is invalid: expected a duration like 3s, 2.5s or 250ms");
        assertThatThrownBy(() -> Env.of(Map.of("T", "0s")).duration("T", Duration.ZERO))
                .hasMessageContaining("at least 1ms");
    }

    @Test
    void baseUrlsMustBeHttpWithAHost() {
        assertThat(Env.of(Map.of("U", "http://details:9080/")).baseUrl("U", "http://x:1"))
                .isEqualTo(URI.create("http://details:9080"));
        assertThat(Env.of(Map.of()).baseUrl("U", "http://details:9080")).isEqualTo(URI.create("http://details:9080"));
        assertThatThrownBy(() -> Env.of(Map.of("U", "https://details:9080")).baseUrl("U", "http://details:9080"))
                .hasMessage("U=\"https://details:9080\" is invalid: expected an http:// URL with a host, like "
                        + "http://details:9080");
        assertThatThrownBy(() -> Env.of(Map.of("U", "http://a b")).baseUrl("U", "http://details:9080"))
                .isInstanceOf(Env.InvalidSettingException.class);
    }

    @Test
    void httpProxyAcceptsBothSpellingsAndAPlainHostPort() {
        assertThat(Env.of(Map.of()).httpProxy()).isEmpty();
        assertThat(Env.of(Map.of("HTTP_PROXY", "http://127.0.0.1:15001")).httpProxy())
                .hasValue(new InetSocketAddress("127.0.0.1", 15001));
        assertThat(Env.of(Map.of("http_proxy", "127.0.0.1:15001/")).httpProxy())
                .hasValue(new InetSocketAddress("127.0.0.1", 15001));
        assertThat(Env.of(Map.of("HTTP_PROXY", "127.0.0.1:1", "http_proxy", "127.0.0.1:2")).httpProxy())
                .hasValue(new InetSocketAddress("127.0.0.1", 1));
        assertThatThrownBy(() -> Env.of(Map.of("HTTP_PROXY", "127.0.0.1")).httpProxy())
                .hasMessage("HTTP_PROXY=\"127.0.0.1\" is invalid: expected http://host:port, like "
                        + "http://127.0.0.1:15001");
    }

    @Test
    void flagsAreTrueOrFalse() {
        assertThat(Env.of(Map.of("F", "TRUE")).flag("F", false)).isTrue();
        assertThat(Env.of(Map.of("F", "0")).flag("F", true)).isFalse();
        assertThat(Env.of(Map.of()).flag("F", true)).isTrue();
    }
}
