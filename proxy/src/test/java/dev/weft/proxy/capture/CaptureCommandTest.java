package dev.weft.proxy.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.ProxyMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@code weft-proxy istio-iptables}, run as the istio-init container runs it, with --dry-run (CaptureSetupTest applies). */
class CaptureCommandTest {

    /** One run of {@code weft-proxy istio-iptables ARGS}, with what it printed. */
    private record Run(int exitCode, String out, String err) {

        static Run of(String... args) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            String[] all = Stream.concat(Stream.of("istio-iptables", "--dry-run"), Stream.of(args))
                    .toArray(String[]::new);
            int code = ProxyMain.run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    private static List<String> rules(String... args) {
        Run run = Run.of(args);
        assertThat(run.exitCode()).as(run.err()).isZero();
        return run.out().lines().toList();
    }

    @Test
    void theOutputIsOneNatTableForIptablesRestore() {
        List<String> rules = rules();
        assertThat(rules.getFirst()).isEqualTo("*nat");
        assertThat(rules.getLast()).isEqualTo("COMMIT");
        assertThat(rules).contains(":ISTIO_INBOUND - [0:0]", ":ISTIO_OUTPUT - [0:0]",
                "-A PREROUTING -p tcp -j ISTIO_INBOUND", "-A OUTPUT -p tcp -j ISTIO_OUTPUT");
    }

    @Test
    void inboundTcpGoesTo15006ExceptTheSidecarsOwnPorts() {
        List<String> rules = rules();
        int catchAll = rules.indexOf("-A ISTIO_INBOUND -p tcp -j ISTIO_IN_REDIRECT");
        for (int port : List.of(15090, 15021, 15020)) {
            assertThat(rules.indexOf("-A ISTIO_INBOUND -p tcp --dport " + port + " -j RETURN")).isBetween(0, catchAll);
        }
        assertThat(rules).contains("-A ISTIO_IN_REDIRECT -p tcp -j REDIRECT --to-ports 15006");
    }

    @Test
    void outboundTcpGoesTo15001ExceptTheProxysOwnTraffic() {
        List<String> rules = rules();
        int redirect = rules.indexOf("-A ISTIO_OUTPUT -j ISTIO_REDIRECT");
        assertThat(redirect).isEqualTo(rules.size() - 2);
        assertThat(rules.indexOf("-A ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN")).isBetween(0, redirect);
        assertThat(rules.indexOf("-A ISTIO_OUTPUT -m owner --gid-owner 1337 -j RETURN")).isBetween(0, redirect);
        assertThat(rules.indexOf("-A ISTIO_OUTPUT -d 127.0.0.1/32 -j RETURN")).isBetween(0, redirect);
        assertThat(rules).contains("-A ISTIO_REDIRECT -p tcp -j REDIRECT --to-ports 15001");
    }

    @Test
    void portsAndTheProxyUserCanBeChosen() {
        List<String> rules = rules("-u", "2000", "-g", "2001", "-z", "25006", "-p", "25001", "-d", "9999");
        assertThat(rules).contains("-A ISTIO_IN_REDIRECT -p tcp -j REDIRECT --to-ports 25006",
                "-A ISTIO_REDIRECT -p tcp -j REDIRECT --to-ports 25001",
                "-A ISTIO_INBOUND -p tcp --dport 9999 -j RETURN",
                "-A ISTIO_OUTPUT -m owner --uid-owner 2000 -j RETURN",
                "-A ISTIO_OUTPUT -m owner --gid-owner 2001 -j RETURN");
        assertThat(rules).doesNotContain("-A ISTIO_INBOUND -p tcp --dport 15021 -j RETURN");
    }

    @Test
    void longOptionsTakeTheirValueAfterAnEqualsSignToo() {
        assertThat(rules("--proxy-uid=2000", "--inbound-capture-port=25006")).contains(
                "-A ISTIO_OUTPUT -m owner --uid-owner 2000 -j RETURN",
                "-A ISTIO_IN_REDIRECT -p tcp -j REDIRECT --to-ports 25006");
    }

    /** Istio's letters, as its injector (and weft's, kube's TrafficCapture) writes the init container's arguments. */
    @Test
    void istiosTrafficSetsNarrowTheCapture() {
        List<String> rules = rules("-p", "15001", "-z", "15006", "-u", "1337", "-m", "REDIRECT",
                "-i", "10.0.0.0/8,192.168.0.0/16,fd00::/8", "-x", "10.1.0.0/16", "-b", "80,443",
                "-d", "15090,15021,15020", "-o", "5432", "-q", "9092", "--log_output_level=default:info");
        assertThat(rules).contains("-A ISTIO_INBOUND -p tcp --dport 80 -j ISTIO_IN_REDIRECT",
                "-A ISTIO_INBOUND -p tcp --dport 443 -j ISTIO_IN_REDIRECT",
                "-A ISTIO_OUTPUT -p tcp --dport 5432 -j RETURN",
                "-A ISTIO_OUTPUT -d 10.0.0.0/8 -j ISTIO_REDIRECT", "-A ISTIO_OUTPUT -d 192.168.0.0/16 -j ISTIO_REDIRECT",
                "-A ISTIO_OUTPUT -m owner --gid-owner 1337 -j RETURN");
        assertThat(rules).doesNotContain("-A ISTIO_INBOUND -p tcp -j ISTIO_IN_REDIRECT",
                "-A ISTIO_OUTPUT -j ISTIO_REDIRECT").noneMatch(rule -> rule.contains("fd00"));
        int excluded = rules.indexOf("-A ISTIO_OUTPUT -d 10.1.0.0/16 -j RETURN");
        int includedPort = rules.indexOf("-A ISTIO_OUTPUT -p tcp --dport 9092 -j ISTIO_REDIRECT");
        assertThat(excluded).isPositive().isLessThan(includedPort);
        assertThat(includedPort).isLessThan(rules.indexOf("-A ISTIO_OUTPUT -d 10.0.0.0/8 -j ISTIO_REDIRECT"));
        assertThat(rules.indexOf("-A ISTIO_OUTPUT -p tcp --dport 5432 -j RETURN"))
                .isLessThan(rules.indexOf("-A ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN"));
    }

    @Test
    void anIpv6RangeIsLeftOutWithAWord() {
        Run run = Run.of("-x", "fd00::/8,10.1.0.0/16");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("weft-proxy istio-iptables: --exclude-outbound-ranges fd00::/8 left out: IPv6"
                + " is not captured");
        assertThat(run.out()).contains("-A ISTIO_OUTPUT -d 10.1.0.0/16 -j RETURN").doesNotContain("fd00");
    }

    @Test
    void longNamesTakeTheLettersPlace() {
        assertThat(rules("--include-inbound-ports", "8080", "--exclude-outbound-ports=25", "--proxy-uid", "7"))
                .contains("-A ISTIO_INBOUND -p tcp --dport 8080 -j ISTIO_IN_REDIRECT",
                        "-A ISTIO_OUTPUT -p tcp --dport 25 -j RETURN", "-A ISTIO_OUTPUT -m owner --gid-owner 7 -j RETURN");
    }

    @Test
    void emptySetsCaptureNothingThatWay() {
        List<String> rules = rules("--include-inbound-ports", "", "--include-outbound-ranges", "");
        assertThat(rules).noneMatch(r -> r.endsWith("-j ISTIO_IN_REDIRECT") && r.startsWith("-A ISTIO_INBOUND"));
        assertThat(rules).noneMatch(r -> r.endsWith("-j ISTIO_REDIRECT"));
    }

    @Test
    void aBadPortRangeOrIdIsAUsageError() {
        assertUsageError(Run.of("-z", "70000"), "weft-proxy istio-iptables: 70000 is not a port (1-65535)");
        assertUsageError(Run.of("-b", "http"), "weft-proxy istio-iptables: http is not a port (1-65535)");
        assertUsageError(Run.of("-i", "10.0.0.0"), "-include-outbound-ranges: 10.0.0.0 is not a CIDR");
        assertUsageError(Run.of("--exclude-outbound-ports", "postgres"), "postgres is not a port");
        assertUsageError(Run.of("--proxy-uid", "istio-proxy"), "--proxy-uid: istio-proxy is not a number");
    }

    @Test
    void anUnknownOrIncompleteOptionIsAUsageError() {
        assertUsageError(Run.of("-m", "TPROXY"), "--inbound-interception-mode TPROXY: only REDIRECT is supported");
        assertUsageError(Run.of("-k", "eth1"), "weft-proxy istio-iptables: unknown argument -k (try --help)");
        assertUsageError(Run.of("--apply", "-u"), "weft-proxy istio-iptables: -u needs a value");
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        Run run = Run.of("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("usage: weft-proxy istio-iptables [--apply | -n] [OPTIONS]").contains(
                "-z, --inbound-capture-port PORT", "-b, --include-inbound-ports PORTS", "-n, --dry-run",
                "-u, --proxy-uid UID", "(default: 1337)", "-d, --exclude-inbound-ports PORTS",
                "(default: 15090,15021,15020)", "--include-outbound-ranges CIDRS", "--apply");
    }

    private static void assertUsageError(Run run, String message) {
        assertThat(run.exitCode()).as(run.out()).isEqualTo(2);
        assertThat(run.err()).contains(message);
        assertThat(run.out()).isEmpty();
    }
}
