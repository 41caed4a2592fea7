package dev.weft.xds.push;

import dev.weft.model.ConfigSnapshot;
import dev.weft.model.Resource;
import dev.weft.model.networking.DestinationRule;
import dev.weft.model.networking.Gateway;
import dev.weft.model.networking.Subset;
import dev.weft.model.networking.VirtualService;
import dev.weft.model.common.PolicySelector;
import dev.weft.model.security.AuthorizationPolicy;
import dev.weft.model.security.PeerAuthentication;
import dev.weft.model.security.RequestAuthentication;
import dev.weft.model.telemetry.Telemetry;
import dev.weft.xds.authn.JwksResolver;
import dev.weft.xds.mesh.ExportTo;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.mesh.RegistrySnapshot;
import dev.weft.xds.mesh.Service;
import dev.weft.xds.mesh.ServiceInstances;
import dev.weft.xds.mesh.WorkloadInstance;
import dev.weft.xds.secret.Credentials;
import dev.weft.xds.telemetry.TelemetryLevels;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Everything one push needs, indexed once: the config snapshot, the registry and the lookups the
 * generators make per proxy. Immutable; a new one is built for every push and swapped in whole.
 */
public final class PushContext {

    /** The reserved gateway name for all sidecars. */
    public static final String MESH_GATEWAY = "mesh";

    private final ConfigSnapshot config;
    private final RegistrySnapshot registry;
    private final MeshSettings mesh;
    private final JwksResolver jwks;
    private final Credentials credentials;
    private final Map<String, List<ServiceInstances>> servicesByHost = new TreeMap<>();
    private final Map<String, List<Resource<VirtualService>>> virtualServicesByGateway = new TreeMap<>();
    private final Map<String, List<Resource<DestinationRule>>> destinationRulesByNamespace = new TreeMap<>();
    private final Map<String, List<Resource<PeerAuthentication>>> peerAuthenticationsByWorkload =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** A push whose JWT rules with a {@code jwksUri} get keys that reject every token (nothing fetches them). */
    public PushContext(ConfigSnapshot config, RegistrySnapshot registry, MeshSettings mesh) {
        this(config, registry, mesh, JwksResolver.UNRESOLVED);
    }

    /** @param jwks the key sets of JWT rules that name theirs by URI, as the control plane fetched them */
    public PushContext(ConfigSnapshot config, RegistrySnapshot registry, MeshSettings mesh, JwksResolver jwks) {
        this(config, registry, mesh, jwks, Credentials.NONE);
    }

    /** @param credentials the TLS credentials {@code credentialName} fields name, served to proxies over SDS */
    public PushContext(ConfigSnapshot config, RegistrySnapshot registry, MeshSettings mesh, JwksResolver jwks,
            Credentials credentials) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.config = Objects.requireNonNull(config, "config");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.mesh = Objects.requireNonNull(mesh, "mesh");
        this.jwks = Objects.requireNonNull(jwks, "jwks");
        for (ServiceInstances instances : registry.services()) {
            servicesByHost.computeIfAbsent(instances.service().hostname(), h -> new ArrayList<>()).add(instances);
        }
        for (Resource<VirtualService> vs : byAge(config.virtualServices())) {
            if (vs.spec().hosts().isEmpty()) {
                continue;
            }
            for (String gateway : gatewaysOf(vs)) {
                virtualServicesByGateway.computeIfAbsent(gateway, g -> new ArrayList<>()).add(vs);
            }
        }
        for (Resource<DestinationRule> dr : byAge(config.destinationRules())) {
            destinationRulesByNamespace.computeIfAbsent(dr.namespace(), n -> new ArrayList<>()).add(dr);
        }
    }

    public static PushContext empty() {
        return new PushContext(ConfigSnapshot.empty(), RegistrySnapshot.EMPTY, MeshSettings.DEFAULT);
    }

    public MeshSettings mesh() {
        return mesh;
    }

    public JwksResolver jwks() {
        return jwks;
    }

    public Credentials credentials() {
        return credentials;
    }

    /** Oldest first (creationTimestamp, then load order), which is how Istio breaks ties. */
    private static <S extends Record> List<Resource<S>> byAge(List<Resource<S>> resources) {
        return resources.stream()
                .sorted(Comparator.comparing((Resource<S> r) -> Optional.ofNullable(r.metadata().creationTimestamp())
                        .orElse(Instant.EPOCH)))
                .toList();
    }

    /** {@code mesh} or {@code namespace/name}; an omitted list means mesh. */
    static List<String> gatewaysOf(Resource<VirtualService> vs) {
        List<String> gateways = vs.spec().gateways();
        if (gateways.isEmpty()) {
            return List.of(MESH_GATEWAY);
        }
        return gateways.stream().map(g -> qualifyGateway(g, vs.namespace())).distinct().toList();
    }

    public static String qualifyGateway(String gateway, String namespace) {
        return gateway.equals(MESH_GATEWAY) || gateway.contains("/") ? gateway : namespace + "/" + gateway;
    }

    /** Services the proxy may see: exported to its namespace and admitted by its Sidecar. */
    public List<ServiceInstances> servicesFor(ProxyNode proxy) {
        SidecarScope scope = sidecarScope(proxy);
        List<ServiceInstances> visible = new ArrayList<>();
        Set<String> hosts = new HashSet<>();
        for (ServiceInstances instances : registry.services()) {
            Service service = instances.service();
            if (service.isVisibleTo(proxy.namespace()) && scope.admits(service) && hosts.add(service.hostname())) {
                visible.add(instances);
            }
        }
        return visible;
    }

    /** Every service with this host, one per namespace that declares it, whatever its visibility. */
    public List<Service> servicesNamed(String host) {
        return servicesByHost.getOrDefault(host, List.of()).stream().map(ServiceInstances::service).toList();
    }

    /** The service with this host visible from {@code clientNamespace}, preferring the client's own namespace. */
    public Optional<ServiceInstances> service(String host, String clientNamespace) {
        List<ServiceInstances> candidates = servicesByHost.getOrDefault(host, List.of());
        return candidates.stream().filter(s -> s.service().namespace().equals(clientNamespace)).findFirst()
                .or(() -> candidates.stream().filter(s -> s.service().isVisibleTo(clientNamespace)).findFirst());
    }

    public SidecarScope sidecarScope(ProxyNode proxy) {
        return SidecarScope.resolve(config.sidecars(), proxy.namespace(), proxy.labels(), mesh);
    }

    /** VirtualServices bound to a gateway ({@code mesh} or {@code ns/name}) and exported to the namespace, oldest first. */
    public List<Resource<VirtualService>> virtualServices(String gateway, String clientNamespace) {
        return virtualServicesByGateway.getOrDefault(gateway, List.of()).stream()
                .filter(vs -> vs.namespace().equals(clientNamespace)
                        || ExportTo.of(vs.spec().exportTo(), vs.namespace()).isVisibleTo(clientNamespace))
                .toList();
    }

    /** A delegate VirtualService (one without hosts) by name. */
    public Optional<Resource<VirtualService>> delegate(String namespace, String name) {
        return config.virtualServices().stream()
                .filter(vs -> vs.namespace().equals(namespace) && vs.name().equals(name) && vs.spec().hosts().isEmpty())
                .findFirst();
    }

    /** Gateways whose selector picks this proxy's labels (all namespaces, as Istio by default). */
    public List<Resource<Gateway>> gatewaysFor(ProxyNode proxy) {
        return config.gateways().stream()
                .filter(g -> proxy.labels().entrySet().containsAll(g.spec().selector().entrySet()))
                .sorted(Comparator.comparing(Resource<Gateway>::namespace).thenComparing(Resource::name))
                .toList();
    }

    /**
     * The DestinationRule for traffic from {@code clientNamespace} to {@code service}: the client's namespace
     * first, then the service's, then the root namespace; the most specific host within a namespace.
     */
    public Optional<MergedDestinationRule> destinationRule(String clientNamespace, Service service) {
        List<String> lookup = java.util.stream.Stream.of(clientNamespace, service.namespace(), mesh.rootNamespace())
                .distinct().toList();
        for (String namespace : lookup) {
            Optional<MergedDestinationRule> found = destinationRuleIn(namespace, clientNamespace, service.hostname());
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private Optional<MergedDestinationRule> destinationRuleIn(String namespace, String clientNamespace, String host) {
        List<Resource<DestinationRule>> matching = destinationRulesByNamespace.getOrDefault(namespace, List.of()).stream()
                .filter(dr -> dr.spec().workloadSelector() == null)
                .filter(dr -> ExportTo.of(dr.spec().exportTo(), dr.namespace()).isVisibleTo(clientNamespace))
                .filter(dr -> HostMatch.matches(dr.spec().host(), host))
                .toList();
        if (matching.isEmpty()) {
            return Optional.empty();
        }
        int best = matching.stream().mapToInt(dr -> HostMatch.specificity(dr.spec().host())).max().orElseThrow();
        List<Resource<DestinationRule>> mostSpecific = matching.stream()
                .filter(dr -> HostMatch.specificity(dr.spec().host()) == best)
                .toList();
        Resource<DestinationRule> oldest = mostSpecific.getFirst();
        List<Subset> subsets = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Resource<DestinationRule> dr : mostSpecific) {
            for (Subset subset : dr.spec().subsets()) {
                if (names.add(subset.name())) {
                    subsets.add(subset);
                }
            }
        }
        return Optional.of(new MergedDestinationRule(oldest.spec().host(), namespace,
                oldest.spec().trafficPolicy(), subsets));
    }

    /** AuthorizationPolicies that apply to the proxy's workload, oldest first (see {@link #selecting}). */
    public List<Resource<AuthorizationPolicy>> authorizationPoliciesFor(ProxyNode proxy) {
        return selecting(config.authorizationPolicies(), proxy.namespace(), proxy.labels(), p -> p.targetRef() == null && p.targetRefs().isEmpty()
                ? Optional.of(labels(p.selector())) : Optional.empty());
    }

    /** RequestAuthentications that apply to the proxy's workload, oldest first (see {@link #selecting}). */
    public List<Resource<RequestAuthentication>> requestAuthenticationsFor(ProxyNode proxy) {
        return selecting(config.requestAuthentications(), proxy.namespace(), proxy.labels(), p -> p.targetRef() == null && p.targetRefs().isEmpty()
                ? Optional.of(labels(p.selector())) : Optional.empty());
    }

    /**
     * PeerAuthentications that apply to the proxy's workload, oldest first: the level of each follows from its
     * namespace and selector (root without selector: mesh; without selector: namespace; else workload).
     */
    public List<Resource<PeerAuthentication>> peerAuthenticationsFor(ProxyNode proxy) {
        return peerAuthenticationsFor(proxy.namespace(), proxy.labels());
    }

    /** The PeerAuthentications that apply to a workload with these labels in {@code namespace}. */
    public List<Resource<PeerAuthentication>> peerAuthenticationsFor(String namespace, Map<String, String> labels) {
        if (config.peerAuthentications().isEmpty()) {
            return List.of();
        }
        // Asked once per endpoint of every proxy's push: workloads with the same labels share the answer.
        return peerAuthenticationsByWorkload.computeIfAbsent(namespace + "\u0000" + new TreeMap<>(labels),
                key -> selecting(config.peerAuthentications(), namespace, labels,
                        p -> Optional.of(labels(p.selector()))));
    }

    /**
     * The Telemetry resources that apply to the proxy's workload, by level (Istio's getTelemetries): the root
     * namespace's without a selector, the workload namespace's without one, and the oldest whose selector matches.
     * Telemetry bound by targetRefs (gateways and waypoints of the Gateway API) selects no sidecar.
     */
    public TelemetryLevels telemetryFor(ProxyNode proxy) {
        List<Resource<Telemetry>> all = byAge(config.telemetries());
        if (all.isEmpty()) {
            return TelemetryLevels.NONE;
        }
        Function<String, Optional<Resource<Telemetry>>> unselected = ns -> all.stream()
                .filter(t -> t.namespace().equals(ns) && t.spec().selector() == null && !boundByTargetRefs(t.spec()))
                .findFirst();
        Optional<Resource<Telemetry>> workload = all.stream()
                .filter(t -> t.namespace().equals(proxy.namespace()) && t.spec().selector() != null
                        && !boundByTargetRefs(t.spec()) && proxy.labels().entrySet().containsAll(labels(t.spec().selector()).entrySet()))
                .findFirst();
        Optional<Resource<Telemetry>> namespace = proxy.namespace().equals(mesh.rootNamespace()) ? Optional.empty()
                : unselected.apply(proxy.namespace());
        return new TelemetryLevels(unselected.apply(mesh.rootNamespace()), namespace, workload);
    }

    private static boolean boundByTargetRefs(Telemetry telemetry) {
        return telemetry.targetRef() != null || (telemetry.targetRefs() != null && !telemetry.targetRefs().isEmpty());
    }

    /** A policy's match labels; empty for an absent selector, which selects every workload in scope. */
    public static Map<String, String> labels(PolicySelector selector) {
        return selector == null || selector.matchLabels() == null ? Map.of() : selector.matchLabels();
    }

    /**
     * Policies in the workload's namespace or the root namespace whose selector labels are a subset of the
     * workload's, as Istio's getConfigsForWorkload. {@code selector} is empty for a policy that does not select
     * by labels (one with targetRefs, which binds to gateways and waypoints instead).
     */
    private <S extends Record> List<Resource<S>> selecting(List<Resource<S>> policies, String namespace,
            Map<String, String> workloadLabels, Function<S, Optional<Map<String, String>>> selector) {
        return byAge(policies).stream()
                .filter(p -> p.namespace().equals(namespace) || p.namespace().equals(mesh.rootNamespace()))
                .filter(p -> selector.apply(p.spec())
                        .filter(labels -> workloadLabels.entrySet().containsAll(labels.entrySet())).isPresent())
                .toList();
    }

    /** Workloads of the services that select this proxy's workload (its labels, in its namespace). */
    public List<ServiceInstances> servicesOf(ProxyNode proxy) {
        return registry.services().stream()
                .filter(s -> s.service().namespace().equals(proxy.namespace())
                        && !s.service().workloadSelector().isEmpty()
                        && proxy.labels().entrySet().containsAll(s.service().workloadSelector().entrySet()))
                .toList();
    }

    /** The workloads selected by labels among a service's instances (a subset's endpoints). */
    public static List<WorkloadInstance> withLabels(ServiceInstances instances, Map<String, String> labels) {
        return instances.workloads().stream().filter(w -> w.hasLabels(labels)).toList();
    }
}
