package dev.weft.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigErrorTest {
  @Test
  void formatsLikeACompilerMessage() {
    assertThat(new ConfigError(Severity.ERROR, "reviews.yaml", 12, "VirtualService default/reviews",
        "spec.http[0].route[0].weight", "weight must be >= 0"))
        .hasToString("reviews.yaml:12: VirtualService default/reviews: spec.http[0].route[0].weight: weight must be >= 0");
  }

  @Test
  void warningsAndFileLevelErrorsSayLess() {
    assertThat(new ConfigError(Severity.WARNING, "a.yaml", 3, "Gateway default/g", "spec.servers", "no servers"))
        .hasToString("a.yaml:3: warning: Gateway default/g: spec.servers: no servers");
    assertThat(new ConfigError(Severity.ERROR, "a.yaml", 1, "", "", "file is not valid UTF-8"))
        .hasToString("a.yaml:1: file is not valid UTF-8");
  }

  @Test
  void hostNamesExpandOnlyShortNames() {
    assertThat(HostNames.toFqdn("reviews", "default", "cluster.local")).isEqualTo("reviews.default.svc.cluster.local");
    assertThat(HostNames.toFqdn("reviews.prod", "default", "cluster.local")).isEqualTo("reviews.prod");
    assertThat(HostNames.toFqdn("*", "default", "cluster.local")).isEqualTo("*");
    assertThat(HostNames.toFqdn("", "default", "cluster.local")).isEmpty();
  }

  @Test
  void originFallsBackToTheNearestAncestorLine() {
    Origin origin = new Origin("f.yaml", new Position(3, 1), Map.of(
        "spec", new Position(6, 1), "spec.http[0]", new Position(8, 3)), Map.of());

    assertThat(origin.lineOf("spec.http[0].route[2].weight")).isEqualTo(8);
    assertThat(origin.lineOf("spec.tcp")).isEqualTo(6);
    assertThat(origin.lineOf("status")).isEqualTo(3);
    assertThat(origin.has("spec.http[0]")).isTrue();
    assertThat(origin.positionOf("spec.http[0]")).contains(new Position(8, 3));
  }
}
