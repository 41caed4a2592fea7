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
        return TrafficCapture.of(annotations, TrafficCapture.DEFAULT).iptablesArgs(1337, 1337);
    }

    private static String option(List<String> args, String name) {
        return args.get(args.indexOf(name) + 1);
    }

    @Test
    void theDefaultsCaptureEverythingButTheProxysPortsAndTheStatusPort() {
        List<String> args = args(Map.of());
        assertThat(args.subList(0, 2)).containsExactly("istio-iptables", "--apply");
        assertThat(option(args, "--include-inbound-ports")).isEqualTo("*");
        assertThat(option(args, "--include-outbound-ranges")).isEqualTo("*");
        assertThat(option(args, "--exclude-inbound-ports")).isEqualTo("15090,15021,15020");
        assertThat(option(args, "--exclude-outbound-ports")).isEmpty();
    }

    @Test
    void theAnnotationsNarrowItAndTheStatusPortFollowsItsAnnotation() {
        List<String> args = args(Map.of("traffic.sidecar.istio.io/includeInboundPorts", "80,443",
                "traffic.sidecar.istio.io/excludeInboundPorts", "9000",
                "traffic.sidecar.istio.io/excludeOutboundPorts", "5432",
                "traffic.sidecar.istio.io/includeOutboundIPRanges", "10.0.0.0/8",
                "traffic.sidecar.istio.io/excludeOutboundIPRanges", "10.1.0.0/16",
                "status.sidecar.istio.io/port", "16020"));
        assertThat(option(args, "--include-inbound-ports")).isEqualTo("80,443");
        assertThat(option(args, "--exclude-inbound-ports")).isEqualTo("15090,15021,9000,16020");
        assertThat(option(args, "--exclude-outbound-ports")).isEqualTo("5432");
        assertThat(option(args, "--include-outbound-ranges")).isEqualTo("10.0.0.0/8");
        assertThat(option(args, "--exclude-outbound-ranges")).isEqualTo("10.1.0.0/16");
    }

    @Test
    void ipv6RangesChangeNothingAsIpv6IsNotCaptured() {
        List<String> args = args(Map.of("traffic.sidecar.istio.io/includeOutboundIPRanges", "fd00::/8,10.0.0.0/8",
                "traffic.sidecar.istio.io/excludeOutboundIPRanges", "fd01::/16"));
        assertThat(option(args, "--include-outbound-ranges")).isEqualTo("10.0.0.0/8");
        assertThat(option(args, "--exclude-outbound-ranges")).isEmpty();
    }

    @Test
    void anInvalidSetIsRefusedWithItsName() {
        assertThatThrownBy(() -> args(Map.of("traffic.sidecar.istio.io/excludeOutboundIPRanges", "*")))
                .isInstanceOf(InjectionRefused.class).hasMessageContaining("(excludeipranges)");
        assertThatThrownBy(() -> args(Map.of("status.sidecar.istio.io/port", "70000")))
                .isInstanceOf(InjectionRefused.class).hasMessageContaining("70000 is not a port");
    }

    /** What istio-init runs, but printing instead of applying: weft-proxy takes every argument the injector writes. */
    @Test
    void weftProxyIstioIptablesTakesTheArguments() {
        List<String> args = new ArrayList<>(args(Map.of("traffic.sidecar.istio.io/includeInboundPorts", "80",
                "traffic.sidecar.istio.io/excludeOutboundIPRanges", "10.1.0.0/16")));
        args.remove("--apply");
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
