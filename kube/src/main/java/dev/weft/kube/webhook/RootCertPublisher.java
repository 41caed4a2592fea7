package dev.weft.kube.webhook;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * Istio's namespace controller: the mesh root in a ConfigMap {@value #NAME} ({@value #KEY}) in every namespace, which
 * injected sidecars and gateways mount to trust weftd's xDS and CA port. Written when a namespace appears or changes
 * and the ConfigMap is missing or holds another root; the system namespaces are left alone, as Istio leaves them.
 * Only the leading replica writes, as only istiod's elected one does; a new leader publishes to every namespace
 * ({@link #publishAll()}).
 */
public final class RootCertPublisher implements AutoCloseable {

    public static final String NAME = "istio-ca-root-cert";
    public static final String KEY = "root-cert.pem";
    private static final Set<String> SYSTEM_NAMESPACES = Set.of("kube-system", "kube-public", "kube-node-lease");
    private static final Logger LOG = Logger.getLogger(RootCertPublisher.class.getName());

    private final KubernetesClient client;
    private final String rootPem;
    private final BooleanSupplier leading;
    private final SharedIndexInformer<Namespace> namespaces;

    private RootCertPublisher(KubernetesClient client, String rootPem, BooleanSupplier leading) {
        this.client = client;
        this.rootPem = rootPem;
        this.leading = leading;
        this.namespaces = client.namespaces().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Namespace namespace) {
                publish(namespace);
            }

            @Override
            public void onUpdate(Namespace before, Namespace after) {
                publish(after);
            }

            @Override
            public void onDelete(Namespace namespace, boolean finalStateUnknown) {
            }
        });
    }

    /** {@code leading}: whether this replica writes now (only the elected one of several does). */
    public static RootCertPublisher start(KubernetesClient client, String rootPem, BooleanSupplier leading) {
        return new RootCertPublisher(client, rootPem, leading);
    }

    /** Publishes to every namespace seen: what this replica skipped while another led. */
    public void publishAll() {
        namespaces.getStore().list().forEach(this::publish);
    }

    /** Synchronized: the informer's events and a new leader's catch-up would both create a missing ConfigMap. */
    private synchronized void publish(Namespace namespace) {
        String name = namespace.getMetadata().getName();
        if (!leading.getAsBoolean() || SYSTEM_NAMESPACES.contains(name)
                || namespace.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        try {
            var configMaps = client.configMaps().inNamespace(name);
            ConfigMap present = configMaps.withName(NAME).get();
            if (present == null) {
                configMaps.resource(new ConfigMapBuilder().withNewMetadata().withName(NAME).withNamespace(name)
                        .addToLabels("istio.io/config", "true").endMetadata().withData(Map.of(KEY, rootPem)).build())
                        .create();
            } else if (present.getData() == null || !rootPem.equals(present.getData().get(KEY))) {
                configMaps.withName(NAME).edit(c -> new ConfigMapBuilder(c).withData(Map.of(KEY, rootPem)).build());
            }
        } catch (KubernetesClientException e) {
            LOG.warning(() -> "cannot publish the mesh root in namespace " + name + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        namespaces.close();
    }
}
