package dev.weft.kube;

import dev.weft.controlplane.MeshSource;
import dev.weft.controlplane.ca.WorkloadTokens;
import dev.weft.controlplane.config.ValidationObserver;
import dev.weft.kube.authn.KubeTokenReviewer;
import dev.weft.kube.config.DiscoveryScope;
import dev.weft.kube.config.IstioKinds;
import dev.weft.kube.config.KubeConfigStore;
import dev.weft.kube.config.KubeObject;
import dev.weft.kube.config.SecretCredentials;
import dev.weft.kube.config.StatusWriter;
import dev.weft.kube.registry.KubeWorkloads;
import dev.weft.model.Kind;
import dev.weft.model.load.ConfigLoader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.logging.Logger;

/**
 * A Kubernetes cluster as a source of weftd's config and workloads, kept by shared informers (list once, then
 * watch; fabric8 relists after a watch error, a 410 Gone or an API server restart). Istio's resources in every
 * version the cluster serves and the model reads, Services, ServiceAccounts and Namespaces go through the model's
 * loader into a {@link KubeConfigStore}; Pods, EndpointSlices and Nodes become workloads ({@link KubeWorkloads});
 * Secrets in Istio's TLS formats are the credentials gateways name ({@link SecretCredentials}).
 */
public final class KubeSource implements MeshSource {

    private static final Logger LOG = Logger.getLogger(KubeSource.class.getName());
    /** Istio's mesh config ConfigMap in the control plane's namespace, and its key holding the mesh config. */
    public static final String MESH_CONFIG_MAP = "istio";
    public static final String MESH_CONFIG_KEY = "mesh";

    private final KubernetesClient client;
    private final KubeConfigStore config;
    private final KubeWorkloads workloads;
    private final SecretCredentials credentials;
    private final ExecutorService statusWriter;
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    /** Per informer, how many additions its handler was given. */
    private final Map<SharedIndexInformer<?>, AtomicLong> delivered = new IdentityHashMap<>();

    private volatile StatusLeadership leadership = StatusLeadership.ALONE;

    private KubeSource(KubernetesClient client, ConfigLoader loader, ValidationObserver validations,
            DiscoveryScope scope) {
        this.client = client;
        this.statusWriter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "weftd-kube-status");
            t.setDaemon(true);
            return t;
        });
        this.config = new KubeConfigStore(loader, new StatusWriter(client, statusWriter,
                this::leading), validations, scope);
        this.workloads = new KubeWorkloads(config::admits);
        this.credentials = new SecretCredentials(config::admits);
        config.addScopeListener(workloads::rescope);
        config.addScopeListener(credentials::rescope);
    }

    /**
     * The cluster's config and workloads as weftd would serve them, for a reader that is not weftd ({@code weft
     * analyze}): it writes no status and no Event, and is closed once read.
     */
    public static KubeSource reading(KubernetesClient client, ConfigLoader loader, Duration syncTimeout)
            throws Exception {
        KubeSource source = new KubeSource(client, loader, ValidationObserver.NONE, DiscoveryScope.EVERYTHING);
        source.leadership = StatusLeadership.NOT_ELECTED;
        return informed(source, syncTimeout);
    }

    /**
     * As {@link #start(KubernetesClient, ConfigLoader, ValidationObserver, Duration)}, one of several replicas: once
     * synced it joins the election, and writes status and Events only while it leads.
     */
    public static KubeSource start(KubernetesClient client, ConfigLoader loader, ValidationObserver validations,
            Duration syncTimeout, StatusLeadership.Election election) throws Exception {
        return start(client, loader, validations, syncTimeout, election, DiscoveryScope.EVERYTHING);
    }

    /**
     * As the other, with the mesh config's discovery selectors picking the namespaces whose objects count: those of
     * the {@value #MESH_CONFIG_MAP} ConfigMap in the control plane's namespace (the election's), followed as it
     * changes, else {@code scope} (weftd's {@code --mesh-config}, read at start) while it holds none.
     */
    public static KubeSource start(KubernetesClient client, ConfigLoader loader, ValidationObserver validations,
            Duration syncTimeout, StatusLeadership.Election election, DiscoveryScope scope) throws Exception {
        KubeSource source = new KubeSource(client, loader, validations, scope);
        source.leadership = StatusLeadership.NOT_ELECTED;
        try {
            source.followDiscoverySelectors(election.namespace(), scope);
            source.inform(syncTimeout);
            source.leadership = StatusLeadership.join(client, election.namespace(), election.identity(),
                    election.timing(), source.config::reportAll);
        } catch (Exception e) {
            source.close();
            throw e;
        }
        return source;
    }

    /**
     * Starts the informers and returns once each has listed what the cluster holds (the config and workloads are
     * complete then), or throws when that takes longer than {@code syncTimeout}. The client stays the caller's.
     */
    public static KubeSource start(KubernetesClient client, ConfigLoader loader, ValidationObserver validations,
            Duration syncTimeout) throws Exception {
        return informed(new KubeSource(client, loader, validations, DiscoveryScope.EVERYTHING), syncTimeout);
    }

    /** The source once it listed everything, or closed when it could not. */
    private static KubeSource informed(KubeSource source, Duration syncTimeout) throws Exception {
        try {
            source.inform(syncTimeout);
        } catch (Exception e) {
            source.close();
            throw e;
        }
        return source;
    }

    private void inform(Duration syncTimeout) throws Exception {
        for (Kind kind : IstioKinds.all()) {
            List<String> versions = IstioKinds.servedVersions(client, kind);
            if (versions.isEmpty()) {
                LOG.warning(() -> "the cluster does not serve " + kind + " (no CustomResourceDefinition "
                        + IstioKinds.plural(kind) + "." + kind.group() + "): not watched");
            }
            for (int rank = 0; rank < versions.size(); rank++) {
                int versionRank = rank;
                String version = versions.get(rank);
                watch(client.genericKubernetesResources(IstioKinds.context(kind, version)).inAnyNamespace()
                        .runnableInformer(0), (object, present) -> {
                            KubeObject seen = reduce(kind, version, object);
                            if (present) {
                                config.seen(seen, versionRank);
                            } else {
                                config.gone(seen, versionRank);
                            }
                        });
            }
        }
        watchConfig(Kind.SERVICE, client.services().inAnyNamespace().runnableInformer(0));
        watchConfig(Kind.SERVICE_ACCOUNT, client.serviceAccounts().inAnyNamespace().runnableInformer(0));
        watchConfig(Kind.NAMESPACE, client.namespaces().runnableInformer(0));
        watch(client.pods().inAnyNamespace().runnableInformer(0), workloads::pod);
        watch(client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(0), workloads::slice);
        watch(client.nodes().runnableInformer(0), workloads::node);
        watch(client.secrets().inAnyNamespace().runnableInformer(0), credentials::seen);
        long deadline = System.nanoTime() + syncTimeout.toNanos();
        CompletableFuture.allOf(informers.stream().map(i -> i.start().toCompletableFuture())
                .toArray(CompletableFuture[]::new)).get(syncTimeout.toMillis(), TimeUnit.MILLISECONDS);
        awaitDelivered(deadline);
        config.synced();
        workloads.synced();
        LOG.info(() -> "kube: " + config.snapshot().all().size() + " resources, " + workloads.workloads().size()
                + " workloads, " + config.errors().size() + " findings of rejected objects");
    }

    /**
     * Istio's mesh config ConfigMap: its {@value #MESH_CONFIG_KEY} key's discovery selectors replace the scope in
     * force as it is edited (the namespaces' objects that enter or leave in one change, no restart), and {@code
     * fallback} is back when it is deleted or names none.
     */
    private void followDiscoverySelectors(String namespace, DiscoveryScope fallback) {
        watch(client.configMaps().inNamespace(namespace).withName(MESH_CONFIG_MAP).runnableInformer(0),
                (map, present) -> {
                    String mesh = present && map.getData() != null ? map.getData().get(MESH_CONFIG_KEY) : null;
                    (mesh == null ? Optional.of(fallback) : DiscoveryScope.ofMeshConfig(mesh,
                            "kube:ConfigMap/" + namespace + "/" + MESH_CONFIG_MAP)).ifPresent(config::rescope);
                });
    }

    private <T extends HasMetadata> void watchConfig(Kind kind, SharedIndexInformer<T> informer) {
        watch(informer, (object, present) -> {
            KubeObject seen = reduce(kind, kind.versions().getFirst(), object);
            if (present) {
                config.seen(seen, 0);
            } else {
                config.gone(seen, 0);
            }
        });
    }

    /** Hands the informer's added, updated and deleted objects to {@code seen}, counting the additions delivered. */
    private <T> void watch(SharedIndexInformer<T> informer, BiConsumer<T, Boolean> seen) {
        AtomicLong added = new AtomicLong();
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                seen.accept(object, true);
                added.incrementAndGet();
            }

            @Override
            public void onUpdate(T before, T after) {
                seen.accept(after, true);
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {
                seen.accept(object, false);
            }
        });
        informers.add(informer);
        delivered.put(informer, added);
    }

    /**
     * An informer's start completes once it has listed, but it hands the objects to its handlers on a thread of its
     * own, later: the config is complete only when every listed object reached its handler.
     */
    private void awaitDelivered(long deadlineNanos) throws InterruptedException, TimeoutException {
        while (delivered.entrySet().stream().anyMatch(e -> e.getValue().get() < e.getKey().getStore().list().size())) {
            if (System.nanoTime() > deadlineNanos) {
                throw new TimeoutException("the informers did not hand over what they listed in time");
            }
            Thread.sleep(5);
        }
    }

    @SuppressWarnings("unchecked")
    private KubeObject reduce(Kind kind, String version, HasMetadata object) {
        Map<String, Object> tree = client.getKubernetesSerialization().convertValue(object, Map.class);
        Object messages = tree.get("status") instanceof Map<?, ?> status ? status.get("validationMessages") : null;
        String document = client.getKubernetesSerialization().asYaml(KubeObject.reduce(kind, tree));
        return new KubeObject(kind, version, object.getMetadata().getNamespace(), object.getMetadata().getName(),
                document, messages);
    }

    @Override
    public KubeConfigStore config() {
        return config;
    }

    @Override
    public KubeWorkloads workloads() {
        return workloads;
    }

    @Override
    public SecretCredentials credentials() {
        return credentials;
    }

    /** The cluster's service-account tokens, reviewed by the API server ({@link KubeTokenReviewer}). */
    @Override
    public Optional<WorkloadTokens> workloadTokens(String trustDomain) {
        return Optional.of(new KubeTokenReviewer(client, trustDomain, Clock.systemUTC()));
    }

    /** Whether every informer has a watch open (false while the API server is away). */
    public boolean watching() {
        return informers.stream().allMatch(SharedIndexInformer::isWatching);
    }

    /** Whether this replica writes to the cluster now (status, Events, and the writers gated on it). */
    public boolean leading() {
        return leadership.getAsBoolean();
    }

    /** Runs {@code catchUp} each time this replica becomes the leader ({@link StatusLeadership#onEachLead}). */
    public void onEachLead(Runnable catchUp) {
        leadership.onEachLead(catchUp);
    }

    @Override
    public void close() {
        leadership.close();
        informers.forEach(SharedIndexInformer::stop);
        statusWriter.shutdownNow();
    }
}
