package dev.weft.kube.inject;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The capture rules' sets, as Istio's {@code traffic.sidecar.istio.io/*} annotations and {@code values.global.proxy}
 * write them: a list is comma-separated, {@code *} means everything, empty means nothing. Invalid values are
 * refused with the annotation's name, as Istio's injector refuses them.
 *
 * @param includeOutboundRanges CIDRs whose outbound traffic is captured ({@code *}: all)
 * @param excludeOutboundRanges CIDRs never captured
 * @param includeInboundPorts inbound ports captured ({@code *}: all but the excluded)
 * @param excludeInboundPorts inbound ports never captured, besides the proxy's own
 * @param excludeOutboundPorts outbound ports never captured
 * @param statusPort the agent's port (prober, merged metrics; 15020), never captured; 0 for none
 */
public record TrafficCapture(String includeOutboundRanges, String excludeOutboundRanges, String includeInboundPorts,
        String excludeInboundPorts, String excludeOutboundPorts, int statusPort) {

    public static final TrafficCapture DEFAULT = new TrafficCapture("*", "", "*", "", "", 15020);
    /** Prometheus (15090) and health (15021): the proxy's own inbound ports, never captured. */
    static final List<String> PROXY_PORTS = List.of("15090", "15021");
    static final String OUTBOUND_PORT = "15001";
    static final String INBOUND_PORT = "15006";

    private static final String PREFIX = "traffic.sidecar.istio.io/";

    /** The sets the pod's annotations name, the rest from {@code defaults}; refuses an invalid one. */
    public static TrafficCapture of(Map<String, String> annotations, TrafficCapture defaults) {
        String statusAnnotation = annotations.get("status.sidecar.istio.io/port");
        int statusPort = defaults.statusPort();
        if (statusAnnotation != null) {
            statusPort = port("status.sidecar.istio.io/port", statusAnnotation.strip(), true);
        }
        TrafficCapture capture = new TrafficCapture(
                annotations.getOrDefault(PREFIX + "includeOutboundIPRanges", defaults.includeOutboundRanges()).strip(),
                annotations.getOrDefault(PREFIX + "excludeOutboundIPRanges", defaults.excludeOutboundRanges()).strip(),
                annotations.getOrDefault(PREFIX + "includeInboundPorts", defaults.includeInboundPorts()).strip(),
                annotations.getOrDefault(PREFIX + "excludeInboundPorts", defaults.excludeInboundPorts()).strip(),
                annotations.getOrDefault(PREFIX + "excludeOutboundPorts", defaults.excludeOutboundPorts()).strip(),
                statusPort);
        capture.validate();
        return capture;
    }

    private void validate() {
        cidrs("includeOutboundIPRanges", includeOutboundRanges, true);
        cidrs("excludeOutboundIPRanges", excludeOutboundRanges, false);
        ports("includeInboundPorts", includeInboundPorts, true);
        ports("excludeInboundPorts", excludeInboundPorts, false);
        ports("excludeOutboundPorts", excludeOutboundPorts, false);
    }

    /** Every inbound port left alone: the proxy's, the excluded ones, the status port (Istio's {@code -d} order). */
    public List<String> excludedInboundPorts() {
        Set<String> ports = new LinkedHashSet<>(PROXY_PORTS);
        ports.addAll(split(excludeInboundPorts));
        if (statusPort != 0) {
            ports.add(Integer.toString(statusPort));
        }
        return List.copyOf(ports);
    }

    /**
     * The arguments of {@code weft-proxy istio-iptables --apply} with these sets, the proxy's own traffic (its user and
     * group) let out (long options: weft's short ones are not istio-iptables').
     */
    public List<String> iptablesArgs(long proxyUid, long proxyGid) {
        return List.of("istio-iptables", "--apply",
                "--proxy-uid", Long.toString(proxyUid),
                "--proxy-gid", Long.toString(proxyGid),
                "--outbound-capture-port", OUTBOUND_PORT,
                "--inbound-capture-port", INBOUND_PORT,
                "--include-outbound-ranges", ipv4(includeOutboundRanges),
                "--exclude-outbound-ranges", ipv4(excludeOutboundRanges),
                "--include-inbound-ports", includeInboundPorts,
                "--exclude-inbound-ports", String.join(",", excludedInboundPorts()),
                "--exclude-outbound-ports", excludeOutboundPorts);
    }

    /**
     * The IPv4 ranges of a list ({@code *} kept): weft captures IPv4 only, so IPv6 traffic is never redirected and
     * an IPv6 range, included or excluded, changes nothing.
     */
    static String ipv4(String ranges) {
        return ranges.equals("*") ? ranges
                : String.join(",", split(ranges).stream().filter(range -> !range.contains(":")).toList());
    }

    static List<String> split(String list) {
        return Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static void cidrs(String annotation, String value, boolean wildcard) {
        if (wildcard && value.equals("*")) {
            return;
        }
        for (String cidr : split(value)) {
            if (!isCidr(cidr)) {
                throw new InjectionRefused(PREFIX + annotation + ": " + cidr + " is not a CIDR (" + istioName(annotation)
                        + ")");
            }
        }
    }

    private static void ports(String annotation, String value, boolean wildcard) {
        if (wildcard && value.equals("*")) {
            return;
        }
        for (String port : split(value)) {
            port(PREFIX + annotation, port, false);
        }
    }

    private static int port(String annotation, String value, boolean zeroAllowed) {
        try {
            int port = Integer.parseInt(value);
            if (port >= (zeroAllowed ? 0 : 1) && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new InjectionRefused(annotation + ": " + value + " is not a port ("
                + istioName(annotation.substring(annotation.indexOf('/') + 1)) + ")");
    }

    /** The setting's name in Istio's refusal ({@code includeipranges}), which users search for. */
    private static String istioName(String annotation) {
        return annotation.replace("OutboundIPRanges", "IPRanges").toLowerCase(java.util.Locale.ROOT);
    }

    static boolean isCidr(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0 || !cidr.substring(0, slash).matches("[0-9a-fA-F:.]+")) {
            return false;
        }
        try {
            InetAddress address = InetAddress.getByName(cidr.substring(0, slash));
            int bits = Integer.parseInt(cidr.substring(slash + 1));
            return bits >= 0 && bits <= address.getAddress().length * 8;
        } catch (UnknownHostException | NumberFormatException e) {
            return false;
        }
    }
}
