package dev.weft.controlplane;

import dev.weft.controlplane.ads.AdsServer;
import dev.weft.controlplane.ads.ProxyAdmission;
import dev.weft.controlplane.ads.ProxyTokens;
import dev.weft.controlplane.ads.WorkloadIdentityAdmission;
import dev.weft.controlplane.authn.HttpJwksResolver;
import dev.weft.controlplane.ca.CertificateAuthority;
import dev.weft.controlplane.ca.CertificateService;
import dev.weft.controlplane.ca.ServingCertificate;
import dev.weft.controlplane.ca.WorkloadTokenFile;
import dev.weft.controlplane.ca.WorkloadTokens;
import dev.weft.controlplane.config.AppliedConfigFile;
import dev.weft.controlplane.config.AppliedConfigStore;
import dev.weft.controlplane.config.ConfigStore;
import dev.weft.controlplane.config.CredentialDirectory;
import dev.weft.controlplane.config.CredentialSource;
import dev.weft.controlplane.config.DirectoryConfigStore;
import dev.weft.controlplane.config.EmptyConfigStore;
import dev.weft.controlplane.config.LayeredCredentials;
import dev.weft.controlplane.config.LayeredConfigStore;
import dev.weft.controlplane.config.MeshConfigFile;
import dev.weft.controlplane.debug.ApiServer;
import dev.weft.controlplane.debug.ApiToken;
import dev.weft.controlplane.debug.DebugApi;
import dev.weft.controlplane.debug.MeshAnalysis;
import dev.weft.controlplane.debug.MutationGuard;
import dev.weft.controlplane.metrics.WeftdMetrics;
import dev.weft.controlplane.push.PushPipeline;
import dev.weft.controlplane.registry.AutoRegisteredWorkloads;
import dev.weft.controlplane.registry.MeshServiceRegistry;
import dev.weft.controlplane.registry.RegisteredWorkloadsFile;
import dev.weft.controlplane.registry.WorkloadSource;
import dev.weft.model.load.ConfigLoader;
import dev.weft.model.load.MeshConfigLoader;
import dev.weft.model.mesh.MeshConfig;
import dev.weft.xds.push.MeshSettings;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerServiceDefinition;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/** A running control plane: config stores, registry, push pipeline, ADS server and HTTP API, wired together. */
public final class Weftd implements AutoCloseable {

    /** The applied config's file in the data directory. */
    public static final String APPLIED_FILE = "applied.json";
    /** The API token for changes (0600), read by the CLI. */
    public static final String TOKEN_FILE = "api-token";
    /** The workloads of connected sidecars, for a restarted weftd to serve until they reconnect. */
    public static final String WORKLOADS_FILE = "registered-workloads.json";
    /** The tokens that identify workloads to the CA ({@code <token> <spiffe-id>} per line, 0600), from weft up. */
    public static final String WORKLOAD_TOKENS_FILE = "workload-tokens";
    /** The root of weftd's own CA, made on first start (unless a {@code cacerts} CA is plugged in): the mesh root. */
    public static final String ROOT_CERT_FILE = "ca/root-cert.pem";

    private static final Logger LOG = Logger.getLogger(Weftd.class.getName());

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Server grpc;
    private final AutoRegisteredWorkloads workloads;
    private final ApiServer http;

    private Weftd(WeftdOptions options) throws IOException {
        // Read first: a mesh config with errors stops weftd before anything started.
        Optional<MeshConfigFile> meshConfig = options.meshConfig()
                .map(file -> MeshConfigFile.read(file, new MeshConfigLoader()));
        Clock clock = Clock.systemUTC();
        WeftdMetrics metrics = new WeftdMetrics(clock);
        ConfigLoader loader = new ConfigLoader();
        resources.addAll(options.sources());
        List<ConfigStore> layers = new ArrayList<>();
        if (options.configDir().isPresent()) {
            DirectoryConfigStore directory = new DirectoryConfigStore(options.configDir().get(), loader,
                    metrics.validations());
            directory.start();
            resources.add(directory);
            layers.add(directory);
        }
        options.sources().forEach(source -> layers.add(source.config()));
        ConfigStore beneath = switch (layers.size()) {
            case 0 -> EmptyConfigStore.INSTANCE;
            case 1 -> layers.getFirst();
            default -> new LayeredConfigStore(layers);
        };
        AppliedConfigStore applied = new AppliedConfigStore(loader, beneath,
                options.dataDir().map(dir -> new AppliedConfigFile(dir.resolve(APPLIED_FILE))), metrics.validations());
        ConfigStore config = applied;
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "weftd-timer");
            t.setDaemon(true);
            return t;
        });
        resources.add(timer::shutdownNow);
        workloads = options.dataDir()
                .map(dir -> new AutoRegisteredWorkloads(new RegisteredWorkloadsFile(dir.resolve(WORKLOADS_FILE)),
                        AutoRegisteredWorkloads.REMEMBERED_GRACE, timer))
                .orElseGet(AutoRegisteredWorkloads::new);
        List<WorkloadSource> workloadSources = new ArrayList<>(List.of(workloads));
        options.sources().forEach(source -> workloadSources.add(source.workloads()));
        MeshServiceRegistry registry = new MeshServiceRegistry(workloadSources, options.mesh().domainSuffix());
        // istiod's default: the control plane fetches JWT keys and inlines them, refreshing every 20 minutes.
        HttpJwksResolver jwks = new HttpJwksResolver(HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NORMAL).build());
        List<CredentialSource> credentialLayers = new ArrayList<>();
        if (options.credentialsDir().isPresent()) {
            CredentialDirectory directory = new CredentialDirectory(options.credentialsDir().get());
            directory.start();
            resources.add(directory);
            credentialLayers.add(directory);
        }
        options.sources().forEach(source -> credentialLayers.add(source.credentials()));
        CredentialSource credentials = new LayeredCredentials(credentialLayers);
        CredentialSource servedCredentials = credentials;
        PushPipeline pipeline = new PushPipeline(config, registry, settings(meshConfig, options), jwks, credentials,
                options.quietPeriod(), options.maxDelay(), clock);
        meshConfig.ifPresent(mesh -> {
            long check = MeshConfigFile.CHECK_INTERVAL.toMillis();
            timer.scheduleWithFixedDelay(() -> {
                if (mesh.reload()) {
                    pipeline.meshChanged(settings(meshConfig, options));
                }
            }, check, check, TimeUnit.MILLISECONDS);
        });
        long refresh = HttpJwksResolver.REFRESH_INTERVAL.toMillis();
        timer.scheduleWithFixedDelay(() -> {
            if (jwks.refresh()) {
                pipeline.jwksChanged();
            }
        }, refresh, refresh, TimeUnit.MILLISECONDS);
        resources.add(pipeline);
        // gRPC callbacks only record requests; generating and writing responses happens on the xDS workers.
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        ExecutorService grpcCalls = FixedThreads.named("weftd-grpc", threads);
        ExecutorService xdsWorkers = FixedThreads.named("weftd-xds", threads);
        resources.add(grpcCalls::shutdownNow);
        resources.add(xdsWorkers::shutdownNow);
        String trustDomain = options.ca().trustDomain().orElseGet(() -> meshConfig
                .map(mesh -> mesh.current().trustDomain()).orElse(MeshConfig.DEFAULT_TRUST_DOMAIN));
        Optional<WorkloadTokens> platformTokens = options.sources().stream()
                .flatMap(source -> source.workloadTokens(trustDomain).stream()).findFirst();
        ProxyAdmission admission = options.proxyTokens().<ProxyAdmission>map(ProxyTokens::new)
                .or(() -> platformTokens.map(WorkloadIdentityAdmission::new))
                .orElse(ProxyAdmission.ANYONE);
        AdsServer ads = new AdsServer(pipeline.generator(), workloads, xdsWorkers, admission, metrics.xds());
        pipeline.pushTo(ads);
        Server startedGrpc = null;
        try {
            ServerCredentials transport = InsecureServerCredentials.create();
            List<ServerServiceDefinition> services = new ArrayList<>(List.of(ads.definition()));
            if (options.dataDir().isPresent()) {
                // Citadel's role: Istio's CreateCertificate on the xDS port, as istiod serves it on 15012.
                Path data = options.dataDir().get();
                CertificateAuthority ca = CertificateAuthority.loadOrCreate(options.ca().cacerts(), data,
                        trustDomain, clock);
                metrics.rootExpires(ca.rootExpiry());
                WorkloadTokens tokens = platformTokens
                        .orElseGet(() -> new WorkloadTokenFile(data.resolve(WORKLOAD_TOKENS_FILE)));
                services.add(new CertificateService(ca, tokens, options.ca().workloadCertTtl(), metrics.signing())
                        .definition());
                if (options.xdsTls()) {
                    // As istiod: a client certificate is verified against the mesh root when one is sent.
                    transport = TlsServerCredentials.newBuilder()
                            .keyManager(servingCertificate(ca, options, timer))
                            .trustManager(new ByteArrayInputStream(ca.rootPem().getBytes(StandardCharsets.US_ASCII)))
                            .clientAuth(TlsServerCredentials.ClientAuth.OPTIONAL).build();
                }
            }
            // A restarted weftd binds the port it had again, while connections it closed are still in TIME_WAIT.
            NettyServerBuilder grpcServer = NettyServerBuilder
                    .forAddress(new InetSocketAddress(options.bindAddress(), options.xdsPort()), transport)
                    .withOption(ChannelOption.SO_REUSEADDR, true)
                    .executor(grpcCalls);
            services.forEach(grpcServer::addService);
            startedGrpc = grpcServer.build().start();
            MutationGuard guard = options.dataDir().isPresent()
                    ? MutationGuard.requiringToken(ApiToken.loadOrCreate(options.dataDir().get().resolve(TOKEN_FILE)))
                    : MutationGuard.withoutToken();
            // Routes run on two threads; only complete requests reach them, so a slow client holds none.
            ExecutorService apiWorkers = FixedThreads.named("weftd-http", 2);
            resources.add(apiWorkers::shutdownNow);
            http = new ApiServer(new InetSocketAddress(options.bindAddress(), options.httpPort()),
                    new DebugApi(ads, config, applied, pipeline::current, pipeline::settled, guard, metrics,
                            new MeshAnalysis(config, workloads::workloads,
                                    () -> servedCredentials.credentials().byName().keySet(),
                                    options.mesh().domainSuffix())), apiWorkers,
                    ApiServer.Limits.DEFAULT);
        } catch (IOException | RuntimeException e) {
            if (startedGrpc != null) {
                startedGrpc.shutdownNow();
            }
            closeResources();
            throw e;
        }
        grpc = startedGrpc;
    }

    /** What the push reads: the mesh config's settings; {@code --trust-domain}, when given, wins over its trustDomain. */
    private static MeshSettings settings(Optional<MeshConfigFile> mesh, WeftdOptions options) {
        MeshSettings settings = mesh.map(m -> MeshSettings.of(m.current(), options.mesh().domainSuffix()))
                .orElse(options.mesh());
        return options.ca().trustDomain().map(domain -> settings.withTrustDomain(domain, settings.trustDomainAliases()))
                .orElse(settings);
    }

    /**
     * istiod's certificate: from weftd's CA, for istiod's names, the bind address and the extra names asked for;
     * checked every minute and renewed at half its life.
     */
    private static ServingCertificate servingCertificate(CertificateAuthority ca, WeftdOptions options,
            ScheduledExecutorService timer) {
        Set<String> names = new LinkedHashSet<>(ServingCertificate.ISTIOD_NAMES);
        if (!options.bindAddress().equals("0.0.0.0") && !options.bindAddress().equals("::")) {
            names.add(options.bindAddress());
        }
        names.addAll(options.ca().extraServingNames());
        ServingCertificate serving = new ServingCertificate(ca, List.copyOf(names), Clock.systemUTC());
        timer.scheduleWithFixedDelay(() -> {
            try {
                serving.renewIfDue();
            } catch (RuntimeException e) {
                LOG.warning("renewing weftd's serving certificate failed, retrying in a minute: " + e);
            }
        }, 1, 1, TimeUnit.MINUTES);
        return serving;
    }

    private void closeResources() {
        for (AutoCloseable resource : resources.reversed()) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warning("closing " + resource + ": " + e);
            }
        }
    }

    /** Starts everything, or nothing: a failure (a port in use) closes what had started. */
    public static Weftd start(WeftdOptions options) throws IOException {
        return new Weftd(options);
    }

    public int xdsPort() {
        return grpc.getPort();
    }

    public int httpPort() {
        return http.port();
    }

    @Override
    public void close() throws Exception {
        workloads.stopSaving();
        http.close();
        grpc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        closeResources();
    }
}
