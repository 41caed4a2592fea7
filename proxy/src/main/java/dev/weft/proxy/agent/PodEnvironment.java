package dev.weft.proxy.agent;

import dev.weft.api.WeftVersion;
import dev.weft.proxy.identity.WorkloadIdentity;
import java.io.IOException;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import java.util.TreeMap;

/**
 * What Istio's agent derives from a pod's environment (as the injector writes it) and its pod info files: the Envoy
 * node (ID {@code sidecar~<ip>~<pod>.<ns>~<ns>.svc.cluster.local}, cluster, metadata with every {@code ISTIO_META_*}),
 * the control plane and CA addresses, the workload's SPIFFE ID and certificate lifetime, and the ProxyConfig's
 * settings the agent reads ({@code discoveryAddress}, {@code statusPort}, {@code proxyAdminPort},
 * {@code configPath}, {@code proxyStatsMatcher}).
 *
 * @param type {@code sidecar}, or {@code router} for a gateway
 */
public record PodEnvironment(String type, Map<String, String> env, Map<String, Object> proxyConfig,
        Map<String, String> labels, Map<String, String> annotations) {

    /** Istio's default control plane address (ProxyConfig {@code discoveryAddress}). */
    public static final String DEFAULT_DISCOVERY_ADDRESS = "istiod.istio-system.svc:15012";
    private static final String META_PREFIX = "ISTIO_META_";
    private static final String META_JSON_PREFIX = "ISTIO_METAJSON_";

    public PodEnvironment {
        env = Map.copyOf(env);
        // JSON may hold nulls, which Map.copyOf refuses.
        proxyConfig = Collections.unmodifiableMap(new LinkedHashMap<>(proxyConfig));
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }

    /**
     * Reads the pod's environment and its labels and annotations files (missing files: none).
     *
     * @throws IllegalArgumentException naming the variable that is missing or malformed
     */
    public static PodEnvironment read(String type, Map<String, String> env, Path podInfoDir) {
        if (!type.equals("sidecar") && !type.equals("router")) {
            throw new IllegalArgumentException("proxy type " + type + ": sidecar or router");
        }
        for (String required : List.of("POD_NAME", "POD_NAMESPACE", "INSTANCE_IP")) {
            if (env.getOrDefault(required, "").isBlank()) {
                throw new IllegalArgumentException(required + " is not set: the injector sets it from the pod");
            }
        }
        String config = env.getOrDefault("PROXY_CONFIG", "");
        Map<String, Object> proxyConfig = config.isBlank() ? Map.of()
                : JsonVariable.object("PROXY_CONFIG", config, "ProxyConfig fields");
        return new PodEnvironment(type, env, proxyConfig, PodInfo.read(podInfoDir.resolve("labels")),
                PodInfo.read(podInfoDir.resolve("annotations")));
    }

    public String podName() {
        return env.get("POD_NAME");
    }

    public String namespace() {
        return env.get("POD_NAMESPACE");
    }

    public String instanceIp() {
        return env.get("INSTANCE_IP");
    }

    public String serviceAccount() {
        return env.getOrDefault("SERVICE_ACCOUNT", "default");
    }

    public String trustDomain() {
        return nonBlank(env.get("TRUST_DOMAIN"), "cluster.local");
    }

    public String nodeId() {
        return type + "~" + instanceIp() + "~" + podName() + "." + namespace() + "~" + namespace()
                + ".svc.cluster.local";
    }

    /** The workload's identity, which its certificate carries. */
    public String spiffeId() {
        return "spiffe://" + trustDomain() + "/ns/" + namespace() + "/sa/" + serviceAccount();
    }

    /** ProxyConfig's {@code discoveryAddress}: where ADS goes ({@code host:port}). */
    public String discoveryAddress() {
        return nonBlank(proxyConfig.get("discoveryAddress") instanceof String s ? s : null,
                DEFAULT_DISCOVERY_ADDRESS);
    }

    /** {@code CA_ADDR}, else the discovery address (istiod is the CA). */
    public String caAddress() {
        return nonBlank(env.get("CA_ADDR"), discoveryAddress());
    }

    /** {@code SECRET_TTL} (Istio's duration syntax), else 24 hours. */
    public Duration certificateTtl() {
        return WorkloadIdentity.ttl(env.get("SECRET_TTL"));
    }

    /**
     * The ports, Istio's unless ProxyConfig moves the admin ({@code proxyAdminPort}) or the status port
     * ({@code statusPort}, which {@code STATUS_PORT} overrides; 0 turns it off).
     */
    public AgentPorts ports() {
        AgentPorts ports = AgentPorts.ISTIO;
        if (proxyConfig.get("proxyAdminPort") instanceof Number admin) {
            ports = ports.withAdmin(admin.intValue());
        }
        if (proxyConfig.get("statusPort") instanceof Number status) {
            ports = ports.withStatus(status.intValue());
        }
        String statusPort = env.getOrDefault("STATUS_PORT", "");
        if (!statusPort.isBlank()) {
            try {
                ports = ports.withStatus(Integer.parseInt(statusPort.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("STATUS_PORT " + statusPort + " is not a port number");
            }
        }
        return ports;
    }

    /** ProxyConfig's {@code configPath}: where the bootstrap goes, else the given paths'. */
    public AgentPaths paths(AgentPaths given) {
        return proxyConfig.get("configPath") instanceof String dir && !dir.isBlank()
                ? given.withConfigDir(Path.of(dir)) : given;
    }

    /** ProxyConfig's {@code proxyStatsMatcher}: the Envoy stats shown besides Istio's. */
    public EnvoyBootstrap.StatsInclusions statsInclusions() {
        if (!(proxyConfig.get("proxyStatsMatcher") instanceof Map<?, ?> matcher)) {
            return EnvoyBootstrap.StatsInclusions.NONE;
        }
        return new EnvoyBootstrap.StatsInclusions(strings(matcher.get("inclusionPrefixes")),
                strings(matcher.get("inclusionSuffixes")), strings(matcher.get("inclusionRegexps")));
    }

    /** The Envoy node: ID, Istio's service cluster ({@code <canonical name>.<namespace>}) and metadata. */
    public Map<String, Object> node() {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("id", nodeId());
        node.put("cluster", serviceName() + "." + namespace());
        node.put("metadata", metadata());
        return node;
    }

    /**
     * Istio's node metadata: every {@code ISTIO_META_*} (a string, its prefix dropped; {@code ISTIO_METAJSON_*}
     * parsed), then what the agent adds: NAMESPACE, SERVICE_ACCOUNT, LABELS, ANNOTATIONS, INSTANCE_IPS,
     * ISTIO_VERSION, PROXY_CONFIG, CLUSTER_ID (default {@code Kubernetes}), WORKLOAD_NAME (default the pod's) and the
     * proxy's health and Prometheus ports.
     */
    public Map<String, Object> metadata() {
        Map<String, Object> metadata = new TreeMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith(META_JSON_PREFIX)) {
                metadata.put(name.substring(META_JSON_PREFIX.length()), JsonVariable.parse(name, value));
            } else if (name.startsWith(META_PREFIX) && !value.isEmpty()) {
                metadata.put(name.substring(META_PREFIX.length()), value);
            }
        });
        metadata.put("NAMESPACE", namespace());
        metadata.put("SERVICE_ACCOUNT", serviceAccount());
        Map<String, String> allLabels = new TreeMap<>(labels);
        if (metadata.get("LABELS") instanceof Map<?, ?> extra) {
            extra.forEach((k, v) -> allLabels.putIfAbsent(k.toString(), String.valueOf(v)));
        }
        metadata.put("LABELS", allLabels);
        if (!annotations.isEmpty()) {
            metadata.put("ANNOTATIONS", new TreeMap<>(annotations));
        }
        metadata.put("INSTANCE_IPS", instanceIp());
        metadata.put("ISTIO_VERSION", WeftVersion.get());
        metadata.put("PROXY_CONFIG", proxyConfig);
        metadata.putIfAbsent("CLUSTER_ID", "Kubernetes");
        metadata.putIfAbsent("WORKLOAD_NAME", podName());
        metadata.put("ENVOY_STATUS_PORT", AgentPorts.ISTIO.health());
        metadata.put("ENVOY_PROMETHEUS_PORT", AgentPorts.ISTIO.prometheus());
        return metadata;
    }

    /** Istio's canonical service name: the label that names it, else the workload's name. */
    private String serviceName() {
        for (String label : List.of("service.istio.io/canonical-name", "app.kubernetes.io/name", "app")) {
            String value = labels.get(label);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return nonBlank(env.get("ISTIO_META_WORKLOAD_NAME"), podName());
    }

    private static List<String> strings(Object list) {
        return list instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    }

    private static String nonBlank(String value, String otherwise) {
        return value == null || value.isBlank() ? otherwise : value.strip();
    }

    /** Kubernetes' downward API files: one {@code key="value"} a line, the value quoted as Go quotes strings. */
    static final class PodInfo {

        private PodInfo() {
        }

        static Map<String, String> read(Path file) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file);
            } catch (NoSuchFileException e) {
                return Map.of();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            Map<String, String> entries = new TreeMap<>();
            for (String line : lines) {
                int eq = line.indexOf('=');
                if (line.isBlank() || eq < 0) {
                    continue;
                }
                entries.put(line.substring(0, eq).strip(), unquote(line.substring(eq + 1).strip(), file));
            }
            return entries;
        }

        /** A Go-quoted string ({@code "a\"b"}); a value without quotes is taken as it is. */
        static String unquote(String quoted, Path file) {
            if (quoted.length() < 2 || quoted.charAt(0) != '"' || quoted.charAt(quoted.length() - 1) != '"') {
                return quoted;
            }
            StringBuilder out = new StringBuilder();
            for (int i = 1; i < quoted.length() - 1; i++) {
                char c = quoted.charAt(i);
                if (c != '\\' || i + 1 >= quoted.length() - 1) {
                    out.append(c);
                    continue;
                }
                char escaped = quoted.charAt(++i);
                switch (escaped) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case 'u', 'x' -> {
                        int digits = escaped == 'u' ? 4 : 2;
                        if (i + digits >= quoted.length()) {
                            throw new IllegalArgumentException(file + ": a truncated escape in " + quoted);
                        }
                        out.append((char) Integer.parseInt(quoted.substring(i + 1, i + 1 + digits), 16));
                        i += digits;
                    }
                    default -> out.append(escaped);
                }
            }
            return out.toString();
        }
    }
}
