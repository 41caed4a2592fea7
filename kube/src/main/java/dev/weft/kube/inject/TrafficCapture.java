package dev.weft.kube.inject;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

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
 * @param includeOutboundPorts outbound ports always captured, whatever their address
 * @param statusPort the agent's port (prober, merged metrics; 15020), never captured; 0 for none
 */
public record TrafficCapture(String includeOutboundRanges, String excludeOutboundRanges, String includeInboundPorts,
        String excludeInboundPorts, String excludeOutboundPorts, String includeOutboundPorts, int statusPort) {

    public static final TrafficCapture DEFAULT = new TrafficCapture("*", "", "*", "", "", "", 15020);
    /** Prometheus (15090) and health (15021): the proxy's own inbound ports, never captured. */
    static final String PROXY_PORTS = "15090,15021";
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
                annotations.getOrDefault(PREFIX + "includeOutboundPorts", defaults.includeOutboundPorts()).strip(),
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
        ports("includeOutboundPorts", includeOutboundPorts, false);
    }

    /**
     * The inbound ports left alone, as Istio's template writes {@code -d}: the proxy's, then the excluded ones with
     * the status port added unless already there.
     */
    String excludedInboundPorts() {
        // Istio keeps the annotation's own text unless it adds the status port.
        String excluded = excludeInboundPorts;
        List<String> ports = new ArrayList<>(split(excludeInboundPorts));
        if (statusPort != 0 && !ports.contains(Integer.toString(statusPort))) {
            ports.add(Integer.toString(statusPort));
            excluded = String.join(",", ports);
        }
        return excluded.isEmpty() ? PROXY_PORTS : PROXY_PORTS + "," + excluded;
    }

    /**
     * The istio-init container's arguments, as Istio's injection template writes them, so that either image runs
     * them: {@code weft-proxy istio-iptables} or Istio's {@code pilot-agent istio-iptables}. The proxy's own traffic
     * (its user's; the group let out is the same number, as in Istio) is let out; {@code logLevels} is Istio's
     * {@code --log_output_level}.
     */
    public List<String> iptablesArgs(long proxyUid, String logLevels) {
        List<String> args = new ArrayList<>(List.of("istio-iptables", "-p", OUTBOUND_PORT, "-z", INBOUND_PORT,
                "-u", Long.toString(proxyUid)));
        args.addAll(List.of("-m", "REDIRECT", "-i", includeOutboundRanges, "-x", excludeOutboundRanges,
                "-b", includeInboundPorts, "-d", excludedInboundPorts()));
        if (!includeOutboundPorts.isEmpty()) {
            args.addAll(List.of("-q", includeOutboundPorts));
        }
        if (!excludeOutboundPorts.isEmpty()) {
            args.addAll(List.of("-o", excludeOutboundPorts));
        }
        args.add("--log_output_level=" + logLevels);
        return List.copyOf(args);
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
