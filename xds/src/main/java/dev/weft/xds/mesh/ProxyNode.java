package dev.weft.xds.mesh;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The proxy being served, from its Istio-style node ID {@code type~ip~podName.namespace~dnsDomain}
 * and its node metadata (LABELS, NAMESPACE, SERVICE_ACCOUNT, INSTANCE_IPS, GENERATOR, and our
 * WEFT_LOCAL_PORTS). {@code proxylessGrpc} is Istio's {@code GENERATOR: grpc}: a gRPC library, not Envoy.
 * {@code locality} is the Envoy node's locality, which locality load balancing is relative to.
 */
public record ProxyNode(
        String nodeId,
        ProxyType type,
        List<String> ipAddresses,
        String id,
        String namespace,
        String dnsDomain,
        Map<String, String> labels,
        String serviceAccount,
        Optional<LocalPorts> localPorts,
        boolean proxylessGrpc,
        Locality locality,
        Optional<String> workloadIdentity) {

    public static final String LOCAL_PORTS_KEY = "WEFT_LOCAL_PORTS";
    /**
     * Set by a weft-proxy that gets its own workload certificate from the CA (Istio's agent role): its SPIFFE ID.
     * Only such a proxy can serve the {@code default} and {@code ROOTCA} secrets mutual TLS names.
     */
    public static final String WORKLOAD_IDENTITY_KEY = "WEFT_WORKLOAD_IDENTITY";

    public ProxyNode {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(type, "type");
        ipAddresses = List.copyOf(ipAddresses);
        labels = Map.copyOf(labels);
        Objects.requireNonNull(localPorts, "localPorts");
        Objects.requireNonNull(locality, "locality");
        Objects.requireNonNull(workloadIdentity, "workloadIdentity");
    }

    /** Whether the proxy holds a workload certificate, so it can speak and accept mutual TLS. */
    public boolean hasWorkloadCertificate() {
        return workloadIdentity.isPresent();
    }

    /** The proxy's own address (the first instance IP), where a local-runtime sidecar binds its listeners. */
    public String address() {
        return ipAddresses.getFirst();
    }

    /** The workload name: the pod-name part of the ID. */
    public String workloadName() {
        int dot = id.lastIndexOf('.');
        return dot < 0 ? id : id.substring(0, dot);
    }

    /**
     * Parses an Envoy node. A malformed ID or metadata gives an {@link IllegalArgumentException} whose
     * message says what is wrong, for the ADS server to return to the proxy.
     */
    public static ProxyNode fromNode(Node node) {
        String nodeId = node.getId();
        String[] parts = nodeId.split("~", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("node ID \"" + nodeId
                    + "\" does not have the four parts type~ip~podName.namespace~dnsDomain");
        }
        ProxyType type = ProxyType.parse(parts[0]);
        Struct metadata = node.getMetadata();
        List<String> ips = new ArrayList<>();
        String instanceIps = string(metadata, "INSTANCE_IPS");
        if (!instanceIps.isEmpty()) {
            for (String ip : instanceIps.split(",")) {
                ips.add(requireIp(ip.trim(), nodeId));
            }
        } else {
            ips.add(requireIp(parts[1], nodeId));
        }
        String id = parts[2];
        String namespace = string(metadata, "NAMESPACE");
        if (namespace.isEmpty()) {
            int dot = id.lastIndexOf('.');
            if (dot < 0 || dot == id.length() - 1) {
                throw new IllegalArgumentException("node ID \"" + nodeId
                        + "\" names no namespace (podName.namespace) and metadata has no NAMESPACE");
            }
            namespace = id.substring(dot + 1);
        }
        return new ProxyNode(nodeId, type, ips, id, namespace, parts[3], labels(metadata),
                string(metadata, "SERVICE_ACCOUNT"), localPorts(metadata), string(metadata, "GENERATOR").equals("grpc"),
                new Locality(node.getLocality().getRegion(), node.getLocality().getZone(), node.getLocality().getSubZone()),
                Optional.of(string(metadata, WORKLOAD_IDENTITY_KEY)).filter(spiffe -> !spiffe.isEmpty()));
    }

    private static String requireIp(String ip, String nodeId) {
        if (!IpAddresses.isValid(ip)) {
            throw new IllegalArgumentException("invalid IP address \"" + ip + "\" in node ID \"" + nodeId + "\"");
        }
        return ip;
    }

    private static String string(Struct struct, String key) {
        Value value = struct.getFieldsMap().get(key);
        return value != null && value.hasStringValue() ? value.getStringValue() : "";
    }

    private static Map<String, String> labels(Struct metadata) {
        Value value = metadata.getFieldsMap().get("LABELS");
        Map<String, String> labels = new TreeMap<>();
        if (value != null && value.hasStructValue()) {
            value.getStructValue().getFieldsMap().forEach((k, v) -> {
                if (v.hasStringValue()) {
                    labels.put(k, v.getStringValue());
                }
            });
        }
        return labels;
    }

    private static Optional<LocalPorts> localPorts(Struct metadata) {
        Value value = metadata.getFieldsMap().get(LOCAL_PORTS_KEY);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.hasStructValue()) {
            throw new IllegalArgumentException(LOCAL_PORTS_KEY + " must be an object");
        }
        Struct block = value.getStructValue();
        List<LocalPorts.WorkloadPort> workloadPorts = new ArrayList<>();
        Value list = block.getFieldsMap().get("workload");
        if (list != null) {
            for (Value entry : list.getListValue().getValuesList()) {
                Struct port = entry.getStructValue();
                workloadPorts.add(new LocalPorts.WorkloadPort(
                        port(port, "port"), port(port, "proxy"), port(port, "app")));
            }
        }
        return Optional.of(new LocalPorts(port(block, "outbound"), port(block, "admin"), workloadPorts,
                egressPorts(block.getFieldsMap().get("egress"))));
    }

    private static List<LocalPorts.EgressPort> egressPorts(Value list) {
        List<LocalPorts.EgressPort> egress = new ArrayList<>();
        if (list == null) {
            return egress;
        }
        if (!list.hasListValue()) {
            throw new IllegalArgumentException(LOCAL_PORTS_KEY + " \"egress\" must be a list");
        }
        for (Value entry : list.getListValue().getValuesList()) {
            Struct port = entry.getStructValue();
            String host = string(port, "host");
            if (host.isEmpty()) {
                throw new IllegalArgumentException(LOCAL_PORTS_KEY + " egress entries need a \"host\"");
            }
            egress.add(new LocalPorts.EgressPort(host, port(port, "port"), port(port, "listen")));
        }
        return egress;
    }

    private static int port(Struct struct, String key) {
        Value value = struct.getFieldsMap().get(key);
        if (value == null || !value.hasNumberValue()) {
            throw new IllegalArgumentException(LOCAL_PORTS_KEY + " needs a numeric \"" + key + "\"");
        }
        double number = value.getNumberValue();
        if (number < 0 || number > 65535 || number != Math.rint(number)) {
            throw new IllegalArgumentException(LOCAL_PORTS_KEY + " \"" + key + "\" = " + number + " is not a port");
        }
        return (int) number;
    }
}
