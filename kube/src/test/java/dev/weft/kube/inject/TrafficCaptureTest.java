package dev.weft.kube.inject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.proxy.ProxyMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The capture sets from the pod's annotations to weft-proxy istio-iptables' options. */
class TrafficCaptureTest {

    private static List<String> args(Map<String, String> annotations) {
        return TrafficCapture.of(annotations, TrafficCapture.DEFAULT).iptablesArgs(1337, "default:info");
    }

    private static String option(List<String> args, String name) {
        return args.get(args.indexOf(name) + 1);
    }

    @Test
    void theDefaultsAreIstiosArgumentsExactly() {
        assertThat(args(Map.of())).containsExactly("istio-iptables", "-p", "15001", "-z", "15006", "-u", "1337",
                "-m", "REDIRECT", "-i", "*", "-x", "", "-b", "*", "-d", "15090,15021,15020",
                "--log_output_level=default:info");
    }

    @Test
    void theAnnotationsNarrowItAndTheStatusPortFollowsItsAnnotation() {
        List<String> args = args(Map.of("traffic.sidecar.istio.io/includeInboundPorts", "80,443",
                "traffic.sidecar.istio.io/excludeInboundPorts", "9000",
                "traffic.sidecar.istio.io/excludeOutboundPorts", "5432",
                "traffic.sidecar.istio.io/includeOutboundPorts", "9092",
                "traffic.sidecar.istio.io/includeOutboundIPRanges", "10.0.0.0/8,fd00::/8",
                "traffic.sidecar.istio.io/excludeOutboundIPRanges", "10.1.0.0/16",
                "status.sidecar.istio.io/port", "16020"));
        assertThat(option(args, "-b")).isEqualTo("80,443");
        assertThat(option(args, "-d")).isEqualTo("15090,15021,9000,16020");
        assertThat(option(args, "-o")).isEqualTo("5432");
        assertThat(option(args, "-q")).isEqualTo("9092");
        assertThat(option(args, "-i")).as("as given: the command leaves IPv6 out").isEqualTo("10.0.0.0/8,fd00::/8");
        assertThat(option(args, "-x")).isEqualTo("10.1.0.0/16");
    }

    @Test
    void anExcludedStatusPortIsNotNamedTwice() {
        List<String> args = TrafficCapture.of(Map.of("traffic.sidecar.istio.io/excludeInboundPorts", "15020,9000"),
                TrafficCapture.DEFAULT).iptablesArgs(2000, "default:error");
        assertThat(option(args, "-d")).isEqualTo("15090,15021,15020,9000");
        assertThat(option(args, "-u")).isEqualTo("2000");
        assertThat(args.getLast()).isEqualTo("--log_output_level=default:error");
    }

    @Test
    void anInvalidSetIsRefusedWithItsName() {
        assertThatThrownBy(() -> args(Map.of("traffic.sidecar.istio.io/excludeOutboundIPRanges", "*")))
                .isInstanceOf(InjectionRefused.class).hasMessageContaining("(excludeipranges)");
        assertThatThrownBy(() -> args(Map.of("status.sidecar.istio.io/port", "70000")))
                .isInstanceOf(InjectionRefused.class).hasMessageContaining("70000 is not a port");
    }

    /** What istio-init runs, printing instead of applying (--dry-run): weft-proxy takes every argument written. */
    @Test
    void weftProxyIstioIptablesTakesTheArguments() {
        List<String> args = new ArrayList<>(args(Map.of("traffic.sidecar.istio.io/includeInboundPorts", "80",
                "traffic.sidecar.istio.io/excludeOutboundIPRanges", "10.1.0.0/16")));
        args.add(1, "--dry-run");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exitCode = ProxyMain.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(exitCode).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).contains(
                "-A ISTIO_INBOUND -p tcp --dport 80 -j ISTIO_IN_REDIRECT", "-A ISTIO_OUTPUT -d 10.1.0.0/16 -j RETURN",
                "-A ISTIO_OUTPUT -j ISTIO_REDIRECT", "-A ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN");
    }
}
