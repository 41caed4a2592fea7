package dev.weft.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeftdMainTest {

    @TempDir
    Path dir;

    @Test
    void parsesEveryOption() {
        WeftdOptions options = WeftdMain.parse(new String[] {"--config-dir", dir.toString(), "--xds-port", "0",
                "--http-port", "0", "--quiet-period-ms", "10", "--max-delay-ms", "500", "--data-dir", dir.resolve("data").toString(), "--bind", "0.0.0.0",
                "--proxy-tokens", dir.resolve("tokens.json").toString()});

        assertThat(options.configDir()).contains(dir);
        assertThat(options.dataDir()).contains(dir.resolve("data"));
        assertThat(options.proxyTokens()).contains(dir.resolve("tokens.json"));
        assertThat(WeftdMain.parse(new String[0]).proxyTokens()).as("every proxy admitted unless told").isEmpty();
        assertThat(options.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(WeftdMain.parse(new String[0]).bindAddress()).as("loopback unless told otherwise").isEqualTo("127.0.0.1");
        assertThat(options.xdsPort()).isZero();
        assertThat(options.httpPort()).isZero();
        assertThat(options.quietPeriod()).isEqualTo(Duration.ofMillis(10));
        assertThat(options.maxDelay()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void rejectsBadArgumentsWithAReason() {
        assertThatThrownBy(() -> WeftdMain.parse(new String[] {"--xds-port", "70000"}))
                .hasMessageContaining("is not a port");
        assertThatThrownBy(() -> WeftdMain.parse(new String[] {"--xds-port"})).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> WeftdMain.parse(new String[] {"--config-dir", dir.resolve("missing").toString()}))
                .hasMessageContaining("is not a directory");
        assertThatThrownBy(() -> WeftdMain.parse(new String[] {"--colour", "blue"}))
                .hasMessageContaining("unknown option --colour");
        assertThatThrownBy(() -> WeftdMain.parse(new String[] {"--http-port", "x"})).hasMessageContaining("not a number");
        assertThatThrownBy(() -> WeftdMain.parse(new String[] {"--workload-cert-ttl", "1d"}))
                .hasMessageContaining("is not a duration such as 24h");
        assertThatThrownBy(() -> WeftdMain.parse(new String[] {"--workload-cert-ttl", "0s"}))
                .hasMessageContaining("longer than zero");
    }

    @Test
    void parsesTheCaOptionsAsIstioNamesThem() {
        WeftdOptions options = WeftdMain.parse(new String[] {"--trust-domain", "example.org", "--workload-cert-ttl",
                "1h30m", "--cacerts", dir.toString()});
        assertThat(options.ca().trustDomain()).contains("example.org");
        assertThat(WeftdMain.parse(new String[0]).ca().trustDomain()).as("the mesh config's").isEmpty();
        assertThat(options.ca().workloadCertTtl()).isEqualTo(Duration.ofMinutes(90));
        assertThat(options.ca().cacerts()).contains(dir);
        assertThat(WeftdMain.parse(new String[0]).ca().workloadCertTtl()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void aMeshConfigIsCheckedOnTheCommandLine() throws Exception {
        Path mesh = Files.writeString(dir.resolve("mesh.yaml"), "trustDomain: example.org\n");
        assertThat(WeftdMain.parse(new String[] {"--mesh-config", mesh.toString()}).meshConfig()).contains(mesh);

        Files.writeString(mesh, "outboundTrafficPolicy: {mode: SOMETIMES}\n");
        assertThatThrownBy(() -> WeftdMain.parse(new String[] {"--mesh-config", mesh.toString()}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(mesh + ":1: MeshConfig: outboundTrafficPolicy.mode: Unsupported value");
    }

    @Test
    void xdsSpeaksTlsWhenTheCaRunsUnlessPlainTextIsAskedFor() {
        String data = dir.resolve("data").toString();
        assertThat(WeftdMain.parse(new String[] {"--data-dir", data}).xdsTls()).isTrue();
        assertThat(WeftdMain.parse(new String[] {"--data-dir", data, "--xds-plaintext"}).xdsTls()).isFalse();
        assertThat(WeftdMain.parse(new String[] {"--xds-plaintext", "--data-dir", data}).dataDir()).isPresent();
        assertThat(WeftdMain.parse(new String[0]).xdsTls()).as("no CA, nothing to serve TLS with").isFalse();
        assertThat(WeftdMain.parse(new String[] {"--xds-san", "10.250.1.1", "--xds-san", "weftd.local"}).ca()
                .extraServingNames()).containsExactly("10.250.1.1", "weftd.local");
    }
}
