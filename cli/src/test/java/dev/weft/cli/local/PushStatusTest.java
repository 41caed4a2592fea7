package dev.weft.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PushStatusTest {

  @Test
  void convergedWhenNothingIsPendingAndEveryProxyAcked() {
    PushStatus status = PushStatus.parse("{\"pushPending\":false,\"proxies\":3,\"inSync\":3}").orElseThrow();
    assertThat(status.converged()).isTrue();
  }

  @Test
  void aPendingPushOrALaggingProxyIsNotConverged() {
    assertThat(PushStatus.parse("{\"pushPending\":true,\"proxies\":3,\"inSync\":3}").orElseThrow().converged())
        .isFalse();
    PushStatus lagging = PushStatus.parse(
        "{\"pushPending\":false,\"proxies\":2,\"inSync\":1,\"notInSync\":[\"sidecar~127.0.0.1~a.default~x\"]}")
        .orElseThrow();
    assertThat(lagging.converged()).isFalse();
    assertThat(lagging).hasToString("1 of 2 proxies not in sync [sidecar~127.0.0.1~a.default~x]");
  }

  @Test
  void anAnswerThatIsNotAPushStatusIsNone() {
    assertThat(PushStatus.parse("<html>")).isEmpty();
    assertThat(PushStatus.parse("{\"ready\":true}")).isEmpty();
  }
}
