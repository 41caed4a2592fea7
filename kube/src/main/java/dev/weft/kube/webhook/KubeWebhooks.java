package dev.weft.kube.webhook;

import dev.weft.controlplane.WeftdOptions;
import dev.weft.controlplane.ca.CertificateAuthority;
import dev.weft.controlplane.ca.ServingCertificate;
import dev.weft.controlplane.config.MeshConfigFile;
import dev.weft.kube.inject.InjectionSettings;
import dev.weft.kube.inject.SidecarInjector;
import dev.weft.model.load.ConfigLoader;
import dev.weft.model.load.MeshConfigLoader;
import dev.weft.model.mesh.MeshConfig;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * weftd's admission side in a cluster: the webhook server ({@code /inject}, {@code /validate}) with a serving
 * certificate from weftd's CA (the same root in the data directory weftd signs workloads with, renewed at half its
 * life), and, by the leading replica alone, the webhook configurations' {@code caBundle} kept equal to that root and
 * the root published to every namespace ({@link CaBundleSync}, {@link RootCertPublisher}). It lives in this module, beside
 * weftd rather than inside it, so control-plane stays free of fabric8 and the admission types.
 */
public final class KubeWebhooks implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KubeWebhooks.class.getName());

    /**
     * @param port the webhook port (istiod's 15017; 0 for any)
     * @param injectorConfiguration the MutatingWebhookConfiguration whose caBundle is kept
     * @param validatorConfiguration the ValidatingWebhookConfiguration whose caBundle is kept
     */
    public record Settings(int port, InjectionSettings injection, String injectorConfiguration,
            String validatorConfiguration) {
    }

    private final List<AutoCloseable> resources;
    private final WebhookServer server;
    private final CaBundleSync caBundles;
    private final RootCertPublisher roots;

    private KubeWebhooks(List<AutoCloseable> resources, WebhookServer server, CaBundleSync caBundles,
            RootCertPublisher roots) {
        this.resources = resources;
        this.server = server;
        this.caBundles = caBundles;
        this.roots = roots;
    }

    /**
     * Starts the webhooks for weftd run with {@code options}, which must name its data directory (the CA's);
     * {@code leading} says whether this replica writes caBundles and root certificates now.
     */
    public static KubeWebhooks start(KubernetesClient client, WeftdOptions options, Settings settings,
            BooleanSupplier leading) throws IOException {
        Path data = options.dataDir().orElseThrow(() -> new IllegalArgumentException(
                "the webhooks need --data-dir: their certificate comes from weftd's CA"));
        // The same resolution as weftd's: the root, when this start makes it, names the same trust domain.
        String trustDomain = options.ca().trustDomain().orElseGet(() -> options.meshConfig()
                .map(file -> MeshConfigFile.read(file, new MeshConfigLoader()).current().trustDomain())
                .orElse(MeshConfig.DEFAULT_TRUST_DOMAIN));
        Clock clock = Clock.systemUTC();
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(options.ca().cacerts(), data, trustDomain, clock);
        Set<String> names = new LinkedHashSet<>(ServingCertificate.ISTIOD_NAMES);
        if (!options.bindAddress().equals("0.0.0.0") && !options.bindAddress().equals("::")) {
            names.add(options.bindAddress());
        }
        names.addAll(options.ca().extraServingNames());
        ServingCertificate certificate = new ServingCertificate(ca, List.copyOf(names), clock);
        List<AutoCloseable> resources = new ArrayList<>();
        ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "weftd-webhook-certificate");
            t.setDaemon(true);
            return t;
        });
        resources.add(renewals::shutdownNow);
        renewals.scheduleWithFixedDelay(() -> {
            try {
                certificate.renewIfDue();
            } catch (RuntimeException e) {
                LOG.warning("renewing the webhooks' certificate failed, retrying in a minute: " + e);
            }
        }, 1, 1, TimeUnit.MINUTES);
        WebhookServer server;
        CaBundleSync caBundles;
        RootCertPublisher roots;
        try {
            server = WebhookServer.start(new InetSocketAddress(options.bindAddress(), settings.port()), certificate,
                    Map.of("/inject", new InjectionWebhook(new SidecarInjector(settings.injection()),
                                    namespace -> labels(client, namespace)),
                            "/validate", new ValidationWebhook(new ConfigLoader())));
            resources.add(server);
            caBundles = CaBundleSync.start(client, ca.rootPem(), settings.injectorConfiguration(),
                    settings.validatorConfiguration(), leading);
            resources.add(caBundles);
            roots = RootCertPublisher.start(client, ca.rootPem(), leading);
            resources.add(roots);
        } catch (IOException | RuntimeException e) {
            resources.reversed().forEach(KubeWebhooks::closeQuietly);
            throw e;
        }
        return new KubeWebhooks(resources, server, caBundles, roots);
    }

    /** Writes every caBundle and root certificate that is stale: this replica has just become the leader. */
    public void writeAll() {
        caBundles.syncAll();
        roots.publishAll();
    }

    private static Map<String, String> labels(KubernetesClient client, String namespace) {
        Namespace found = client.namespaces().withName(namespace).get();
        return Optional.ofNullable(found).map(n -> n.getMetadata().getLabels()).orElse(Map.of());
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        resources.reversed().forEach(KubeWebhooks::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            LOG.warning("closing " + resource + ": " + e);
        }
    }
}
