package dev.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTemplateTest {

    private static final Map<String, String> ALL_VALUES = Map.of("workdir", "/w", "listen_http1", "40001",
            "listen_http2", "40002", "listen_tcp", "40003", "upstream_http1", "40004", "upstream_http2", "40005",
            "sink", "40006");

    @Test
    void fillsPlaceholdersAndRejectsMissingValues() {
        assertThat(ConfigTemplate.render("listen ${listen_http1}; root ${workdir}/www; $literal",
                Map.of("listen_http1", "8080", "workdir", "/tmp/w$1")))
                .isEqualTo("listen 8080; root /tmp/w$1/www; $literal");
        assertThatThrownBy(() -> ConfigTemplate.render("port ${sink}", Map.of()))
                .hasMessage("no value for ${sink}");
    }

    @Test
    void everyShippedConfigRendersWithTheValuesTheHarnessSupplies() throws IOException {
        Path configs = Path.of("../configs");
        assertThat(ConfigTemplate.render(Files.readString(configs.resolve("upstream-nginx.conf")), ALL_VALUES))
                .contains("127.0.0.1:40004", "127.0.0.1:40005 http2");
        for (String proxy : new String[] {"nginx-proxy.conf", "haproxy.cfg", "weft-proxy.yaml"}) {
            assertThat(ConfigTemplate.render(Files.readString(configs.resolve(proxy)), ALL_VALUES)).as(proxy)
                    .contains("40001", "40002", "40003", "40004", "40006");
        }
    }
}
