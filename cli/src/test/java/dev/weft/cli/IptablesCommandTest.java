package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code weft iptables}: weft-proxy istio-iptables' rules and options (CaptureCommandTest) behind the CLI's name. */
class IptablesCommandTest {

  @Test
  void printsTheRulesWithTheOptionsAsGiven() {
    CliRun run = CliRun.of("iptables", "-u", "2000", "--inbound-capture-port", "25006", "-d", "9999",
        "--proxy-gid=2001");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().lines()).startsWith("*nat").endsWith("COMMIT").contains(
        "-A ISTIO_OUTPUT -m owner --uid-owner 2000 -j RETURN", "-A ISTIO_OUTPUT -m owner --gid-owner 2001 -j RETURN",
        "-A ISTIO_IN_REDIRECT -p tcp -j REDIRECT --to-ports 25006", "-A ISTIO_INBOUND -p tcp --dport 9999 -j RETURN");
  }

  @Test
  void aBadValueIsAUsageErrorInWeftsWords() {
    CliRun port = CliRun.of("iptables", "-b", "70000");
    assertThat(port.exitCode()).isEqualTo(2);
    assertThat(port.err()).startsWith("weft: 70000 is not a port");
    CliRun range = CliRun.of("iptables", "--exclude-outbound-ranges", "10.0.0.0");
    assertThat(range.exitCode()).isEqualTo(2);
    assertThat(range.err()).contains("weft: --exclude-outbound-ranges: 10.0.0.0 is not a CIDR");
  }

  @Test
  void helpListsTheOptions() {
    CliRun run = CliRun.of("iptables", "--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("usage: weft iptables [--apply | -n] [OPTIONS]")
        .contains("-u, --proxy-uid UID", "--exclude-outbound-ports PORTS");
  }
}
