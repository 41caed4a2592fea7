package dev.weft.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProxyTokenFileTest {

  @Test
  void eachNodeGetsItsOwnRandomTokenListedInAFileOnlyItsOwnerReads(@TempDir Path dir) throws Exception {
    ProxyTokenFile tokens = new ProxyTokenFile(dir.resolve("proxy-tokens.json"));

    String reviews = tokens.issue("sidecar~127.0.1.5~reviews-v2.default~default.svc.cluster.local");
    String ratings = tokens.issue("sidecar~127.0.1.6~ratings-v1.default~default.svc.cluster.local");

    assertThat(reviews).hasSize(64).isHexadecimal().isNotEqualTo(ratings);
    assertThat(tokens.issue("sidecar~127.0.1.5~reviews-v2.default~default.svc.cluster.local"))
        .as("a restarted proxy keeps its bootstrap and token").isEqualTo(reviews);
    assertThat(new ObjectMapper().readValue(dir.resolve("proxy-tokens.json").toFile(), Map.class)).isEqualTo(Map.of(
        "sidecar~127.0.1.5~reviews-v2.default~default.svc.cluster.local", reviews,
        "sidecar~127.0.1.6~ratings-v1.default~default.svc.cluster.local", ratings));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("proxy-tokens.json"))))
        .isEqualTo("rw-------");
  }
}
