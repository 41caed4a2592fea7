package dev.weft.xds.push;

import dev.weft.api.config.IstioAccessLogFormats;
import dev.weft.model.mesh.MeshConfig;
import dev.weft.model.mesh.MeshConfig.EnvoyExternalAuthorizationGrpcProvider;
import dev.weft.model.mesh.MeshConfig.EnvoyExternalAuthorizationHttpProvider;
import dev.weft.model.mesh.MeshConfig.EnvoyExternalAuthorizationRequestBody;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The mesh-wide settings the translation needs (a slice of Istio's MeshConfig).
 *
 * @param allowAnyOutbound meshConfig.outboundTrafficPolicy: true for ALLOW_ANY (Istio's default)
 * @param trustDomain the trust domain of workload identities ({@code spiffe://<trustDomain>/ns/..})
 * @param trustDomainAliases other trust domains whose identities count as this one's in policies
 * @param extensionProviders meshConfig.extensionProviders, the external authorizers CUSTOM policies name
 * @param accessLog meshConfig.accessLogFile with its format; empty: proxies write no access log (Istio's default)
 * @param tracing what tracing the mesh config asks for
 * @param accessLogProviders the access logs Telemetry names, and the default ones
 */
public record MeshSettings(String rootNamespace, String domainSuffix, boolean allowAnyOutbound, String trustDomain,
        List<String> trustDomainAliases, List<ExtensionProvider> extensionProviders, Optional<AccessLog> accessLog,
        Tracing tracing, AccessLogProviders accessLogProviders, ServerHeader serverHeader) {

    /**
     * The {@code server} header the proxies put on responses (Istio's ProxyConfig {@code proxyHeaders.server}):
     * {@code name} in place of any the upstream sent, as Istio's proxies do with {@code istio-envoy}, or, with
     * {@code passThrough}, the upstream's own and none added.
     */
    public record ServerHeader(String name, boolean passThrough) {

        public static final ServerHeader ISTIO = new ServerHeader("istio-envoy", false);

        static ServerHeader of(MeshConfig config) {
            return Optional.ofNullable(config.defaultConfig()).map(MeshConfig.DefaultConfig::proxyHeaders)
                    .map(MeshConfig.ProxyHeaders::server)
                    .map(s -> new ServerHeader(s.value() == null || s.value().isEmpty() ? ISTIO.name() : s.value(),
                            s.disabled()))
                    .orElse(ISTIO);
        }
    }

    /** The OTLP/HTTP export timeout when the provider sets none. */
    static final Duration OTLP_HTTP_TIMEOUT = Duration.ofSeconds(5);

    public static final MeshSettings DEFAULT = new MeshSettings("istio-system", "cluster.local", true,
            "cluster.local", List.of(), List.of());

    /**
     * The mesh config's tracing.
     *
     * @param defaultProviders meshConfig.defaultProviders.tracing: the providers where Telemetry names none
     * @param sampling defaultConfig.tracing.sampling in percent; empty for Istio's default, 1%
     * @param zipkin the zipkin extension providers
     * @param openTelemetry the opentelemetry extension providers
     */
    public record Tracing(List<String> defaultProviders, Optional<Double> sampling,
            List<ZipkinProvider> zipkin, List<OpenTelemetryProvider> openTelemetry) {

        public static final Tracing DEFAULT = new Tracing(List.of(), Optional.empty(), List.of(), List.of());

        public Tracing {
            defaultProviders = List.copyOf(defaultProviders);
            zipkin = List.copyOf(zipkin);
            openTelemetry = List.copyOf(openTelemetry);
        }
    }

    /**
     * An opentelemetry extension provider.
     *
     * @param service {@code <namespace>/<hostname>}, or a hostname declared in one namespace only
     * @param maxTagLength 0 for Envoy's default (256)
     * @param httpPath OTLP/HTTP to this path; empty for OTLP over gRPC
     * @param httpTimeout the HTTP export timeout
     */
    public record OpenTelemetryProvider(String name, String service, int port, int maxTagLength,
            Optional<String> httpPath, Duration httpTimeout) {
    }

    /**
     * A zipkin extension provider.
     *
     * @param service {@code <namespace>/<hostname>}, or a hostname declared in one namespace only
     * @param maxTagLength 0 for Envoy's default (256)
     * @param path the collector's path; empty for Zipkin's {@code /api/v2/spans}
     */
    public record ZipkinProvider(String name, String service, int port, int maxTagLength, boolean traceId64Bit,
            String path) {
    }

    /**
     * Where every proxy writes its access log and in which format.
     *
     * @param textFormat Envoy's command operators, for TEXT
     * @param jsonFormat the keys and their format strings, for JSON
     */
    public record AccessLog(String path, boolean json, String textFormat, java.util.Map<String, String> jsonFormat) {
    }

    /**
     * meshConfig's {@code envoyFileAccessLog} extension providers by lower-case name (Istio matches names ignoring
     * case), with Istio's built-in {@code envoy} (stdout, its default text format) unless one is so named, and
     * {@code defaultProviders.accessLogging}.
     */
    public record AccessLogProviders(java.util.Map<String, AccessLog> files, List<String> defaults) {

        public static final AccessLogProviders BUILT_IN = new AccessLogProviders(
                java.util.Map.of("envoy", new AccessLog("/dev/stdout", false, IstioAccessLogFormats.TEXT,
                        java.util.Map.of())), List.of());

        public AccessLogProviders {
            files = java.util.Map.copyOf(files);
            defaults = List.copyOf(defaults);
        }

        /** The file access log a Telemetry provider name stands for, if it is one. */
        public Optional<AccessLog> file(String name) {
            return Optional.ofNullable(files.get(name.toLowerCase(java.util.Locale.ROOT)));
        }
    }

    public MeshSettings(String rootNamespace, String domainSuffix, boolean allowAnyOutbound, String trustDomain,
            List<String> trustDomainAliases, List<ExtensionProvider> extensionProviders) {
        this(rootNamespace, domainSuffix, allowAnyOutbound, trustDomain, trustDomainAliases, extensionProviders,
                Optional.empty(), Tracing.DEFAULT, AccessLogProviders.BUILT_IN, ServerHeader.ISTIO);
    }

    public MeshSettings {
        Objects.requireNonNull(rootNamespace, "rootNamespace");
        Objects.requireNonNull(domainSuffix, "domainSuffix");
        Objects.requireNonNull(trustDomain, "trustDomain");
        trustDomainAliases = List.copyOf(trustDomainAliases);
        extensionProviders = List.copyOf(extensionProviders);
        Objects.requireNonNull(tracing, "tracing");
    }

    /** The settings a loaded mesh config says; {@code domainSuffix} is the cluster's, which MeshConfig does not hold. */
    public static MeshSettings of(MeshConfig config, String domainSuffix) {
        return new MeshSettings(config.rootNamespace(), domainSuffix, config.allowAnyOutbound(), config.trustDomain(),
                config.trustDomainAliases(), config.extensionProviders().stream()
                        .filter(p -> p.zipkin() == null && p.opentelemetry() == null && p.envoyFileAccessLog() == null)
                        .map(MeshSettings::provider)
                        .toList(),
                accessLog(config), tracing(config), accessLogProviders(config), ServerHeader.of(config));
    }

    private static Tracing tracing(MeshConfig config) {
        List<OpenTelemetryProvider> openTelemetry = config.extensionProviders().stream()
                .filter(p -> p.opentelemetry() != null)
                .map(p -> new OpenTelemetryProvider(p.name(), p.opentelemetry().service(),
                        (int) p.opentelemetry().port(), (int) p.opentelemetry().maxTagLength(),
                        Optional.ofNullable(p.opentelemetry().http()).map(MeshConfig.OpenTelemetryHttp::path),
                        Optional.ofNullable(p.opentelemetry().http()).map(MeshConfig.OpenTelemetryHttp::timeout)
                                .orElse(OTLP_HTTP_TIMEOUT)))
                .toList();
        List<ZipkinProvider> zipkin = config.extensionProviders().stream().filter(p -> p.zipkin() != null)
                .map(p -> new ZipkinProvider(p.name(), p.zipkin().service(), (int) p.zipkin().port(),
                        (int) p.zipkin().maxTagLength(), p.zipkin().enable64bitTraceId(),
                        p.zipkin().path() == null ? "" : p.zipkin().path()))
                .toList();
        List<String> defaults = config.defaultProviders() == null ? List.of() : config.defaultProviders().tracing();
        Optional<Double> sampling = Optional.ofNullable(config.defaultConfig())
                .map(MeshConfig.DefaultConfig::tracing).map(MeshConfig.ProxyTracing::sampling);
        return new Tracing(defaults, sampling, zipkin, openTelemetry);
    }

    private static AccessLogProviders accessLogProviders(MeshConfig config) {
        java.util.Map<String, AccessLog> files = new java.util.HashMap<>(AccessLogProviders.BUILT_IN.files());
        for (MeshConfig.ExtensionProvider provider : config.extensionProviders()) {
            if (provider.envoyFileAccessLog() != null) {
                files.put(provider.name().toLowerCase(java.util.Locale.ROOT), fileAccessLog(provider.envoyFileAccessLog()));
            }
        }
        MeshConfig.DefaultProviders defaults = config.defaultProviders();
        return new AccessLogProviders(files, defaults == null ? List.of() : defaults.accessLogging());
    }

    /** As Istio: labels make a JSON log, text a text one (a newline added if missing), neither Istio's text default. */
    private static AccessLog fileAccessLog(MeshConfig.EnvoyFileAccessLogProvider provider) {
        MeshConfig.EnvoyFileAccessLogProvider.LogFormat format = provider.logFormat();
        if (format != null && format.labels() != null) {
            return new AccessLog(provider.path(), true, "",
                    format.labels().isEmpty() ? IstioAccessLogFormats.JSON : format.labels());
        }
        String text = format == null || format.text().isEmpty() ? IstioAccessLogFormats.TEXT
                : format.text().endsWith("\n") ? format.text() : format.text() + "\n";
        return new AccessLog(provider.path(), false, text, java.util.Map.of());
    }

    /** Istio's meshConfig access log: a path turns it on; without a format, Istio's default for the encoding. */
    private static Optional<AccessLog> accessLog(MeshConfig config) {
        if (config.accessLogFile() == null || config.accessLogFile().isEmpty()) {
            return Optional.empty();
        }
        boolean json = config.accessLogEncoding() == MeshConfig.AccessLogEncoding.JSON;
        String format = config.accessLogFormat() == null ? "" : config.accessLogFormat();
        if (!json) {
            return Optional.of(new AccessLog(config.accessLogFile(), false,
                    format.isEmpty() ? IstioAccessLogFormats.TEXT : format, java.util.Map.of()));
        }
        return Optional.of(new AccessLog(config.accessLogFile(), true, "",
                format.isEmpty() ? IstioAccessLogFormats.JSON : jsonFields(format)));
    }

    /** A JSON accessLogFormat is a JSON object of keys to format strings, as Istio reads it. */
    private static java.util.Map<String, String> jsonFields(String format) {
        try {
            java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(format).properties()
                    .forEach(e -> fields.put(e.getKey(), e.getValue().asText()));
            return fields;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return IstioAccessLogFormats.JSON;
        }
    }

    private static ExtensionProvider provider(MeshConfig.ExtensionProvider provider) {
        if (provider.envoyExtAuthzHttp() != null) {
            EnvoyExternalAuthorizationHttpProvider http = provider.envoyExtAuthzHttp();
            return ExtensionProvider.http(provider.name(), new ExtensionProvider.ExtAuthzHttp(http.service(),
                    http.port(), Optional.ofNullable(http.timeout()), http.pathPrefix(), http.failOpen(),
                    http.statusOnError(), http.includeRequestHeadersInCheck(), http.includeHeadersInCheck(),
                    http.includeAdditionalHeadersInCheck(), http.headersToUpstreamOnAllow(),
                    http.headersToDownstreamOnDeny(), http.headersToDownstreamOnAllow(),
                    body(http.includeRequestBodyInCheck())));
        }
        EnvoyExternalAuthorizationGrpcProvider grpc = provider.envoyExtAuthzGrpc();
        return ExtensionProvider.grpc(provider.name(), new ExtensionProvider.ExtAuthzGrpc(grpc.service(), grpc.port(),
                Optional.ofNullable(grpc.timeout()), grpc.failOpen(), grpc.statusOnError(),
                body(grpc.includeRequestBodyInCheck())));
    }

    private static Optional<ExtensionProvider.RequestBody> body(EnvoyExternalAuthorizationRequestBody body) {
        return Optional.ofNullable(body).map(b -> new ExtensionProvider.RequestBody((int) b.maxRequestBytes(),
                b.allowPartialMessage(), b.packAsBytes()));
    }

    public MeshSettings withTrustDomain(String domain, List<String> aliases) {
        return new MeshSettings(rootNamespace, domainSuffix, allowAnyOutbound, domain, aliases, extensionProviders,
                accessLog, tracing, accessLogProviders, serverHeader);
    }

    public MeshSettings withExtensionProviders(List<ExtensionProvider> providers) {
        return new MeshSettings(rootNamespace, domainSuffix, allowAnyOutbound, trustDomain, trustDomainAliases,
                providers, accessLog, tracing, accessLogProviders, serverHeader);
    }

    public MeshSettings withTracing(Tracing newTracing) {
        return new MeshSettings(rootNamespace, domainSuffix, allowAnyOutbound, trustDomain, trustDomainAliases,
                extensionProviders, accessLog, newTracing, accessLogProviders, serverHeader);
    }
}
