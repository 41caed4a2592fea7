package dev.weft.model.load;

import dev.weft.model.ConfigError;
import dev.weft.model.EchoedValue;
import dev.weft.model.Origin;
import dev.weft.model.Severity;
import dev.weft.model.mesh.MeshConfig;
import dev.weft.model.mesh.MeshConfig.EnvoyExternalAuthorizationGrpcProvider;
import dev.weft.model.mesh.MeshConfig.EnvoyExternalAuthorizationHttpProvider;
import dev.weft.model.mesh.MeshConfig.EnvoyExternalAuthorizationRequestBody;
import dev.weft.model.mesh.MeshConfig.EnvoyFileAccessLogProvider;
import dev.weft.model.mesh.MeshConfig.ExtensionProvider;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads Istio's MeshConfig YAML (what istiod reads from its {@code mesh} file) into a {@link MeshConfig}, with the
 * loader's bounds and wording: errors name the file, line and field path. Fields Weft does not use are accepted with
 * a warning, as are a key that is no MeshConfig field at all and a provider of a kind Weft does not implement.
 * The config is returned only when there is no error.
 */
public final class MeshConfigLoader {

  /** The name of a mesh directory's mesh config ({@code weft up}, {@code weft analyze}). */
  public static final String FILE_NAME = "meshconfig.yaml";

  /** What a load found: the config when it had no error, and every finding. */
  public record Result(Optional<MeshConfig> config, List<ConfigError> findings) {
    public Result {
      findings = List.copyOf(findings);
    }

    public boolean hasErrors() {
      return findings.stream().anyMatch(ConfigError::isError);
    }
  }

  private static final String RESOURCE = "MeshConfig";
  private static final Set<String> MODELLED = Set.of("rootNamespace", "trustDomain", "trustDomainAliases",
      "outboundTrafficPolicy", "accessLogFile", "accessLogFormat", "accessLogEncoding", "defaultProviders",
      "discoverySelectors");
  /** MeshConfig fields Weft does not act on (Istio's mesh.proto): accepted with a warning that says so. */
  private static final Set<String> IGNORED = Set.of("proxyListenPort", "proxyInboundListenPort", "proxyHttpPort",
      "connectTimeout", "protocolDetectionTimeout", "tcpKeepalive", "ingressClass", "ingressService",
      "ingressControllerMode", "ingressSelector", "enableTracing", "enableEnvoyAccessLogService",
      "disableEnvoyListenerLog",
      "inboundTrafficPolicy", "configSources", "enableAutoMtls", "caCertificates", "defaultServiceExportTo",
      "defaultVirtualServiceExportTo", "defaultDestinationRuleExportTo", "localityLbSetting", "dnsRefreshRate",
      "h2UpgradePolicy", "inboundClusterStatName", "outboundClusterStatName", "certificates", "thriftConfig",
      "serviceSettings", "enablePrometheusMerge", "verifyCertificateAtClient", "ca",
      "pathNormalization", "defaultHttpRetryPolicy", "meshMTLS", "tlsDefaults");
  private static final List<String> KINDS = List.of("envoyExtAuthzHttp", "envoyExtAuthzGrpc", "zipkin",
      "opentelemetry", "envoyFileAccessLog");
  /** Provider kinds of Istio's MeshConfig that Weft does not implement (other tracers, log services, metrics). */
  private static final Set<String> OTHER_KINDS = Set.of("lightstep", "datadog", "stackdriver",
      "opencensus", "skywalking", "prometheus", "envoyHttpAls", "envoyTcpAls", "envoyOtelAls", "sds");
  private static final Pattern PROVIDER_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  /** SPIFFE's trust domain characters. */
  private static final Pattern TRUST_DOMAIN = Pattern.compile("[a-zA-Z0-9._-]{1,255}");
  private static final Pattern SERVICE = Pattern.compile(
      "([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?/)?[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?"
          + "(\\.[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?)*");

  private final LoadLimits limits;

  /** Whether a file is a mesh directory's mesh config by its name. */
  public static boolean isMeshConfig(Path file) {
    return file.getFileName() != null && file.getFileName().toString().equals(FILE_NAME) && Files.isRegularFile(file);
  }

  public MeshConfigLoader(LoadLimits limits) {
    this.limits = limits;
  }

  public MeshConfigLoader() {
    this(LoadLimits.defaults());
  }

  public Result load(Path file) {
    String source = file.toString();
    try {
      if (Files.size(file) > limits.maxFileBytes()) {
        return failed(source, "input too large: " + Files.size(file) + " bytes, the limit is "
            + limits.maxFileBytes() + " bytes");
      }
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
          .toString();
      return loadString(text, source);
    } catch (CharacterCodingException e) {
      return failed(source, "file is not valid UTF-8");
    } catch (IOException e) {
      return failed(source, "cannot read file: " + e.getMessage());
    }
  }

  /** Reads mesh config given as text; {@code source} labels its findings. An empty text is Istio's defaults. */
  public Result loadString(String text, String source) {
    if (text.length() > limits.maxFileBytes()) {
      return failed(source, "input too large: " + text.length() + " characters, the limit is "
          + limits.maxFileBytes());
    }
    List<String> lines = new SourceLines(text);
    List<Node> documents = new ArrayList<>();
    List<ConfigError> findings = new ArrayList<>(YamlDocuments.parse(source, text, limits, documents::add));
    documents.removeIf(Binder::isNull);
    if (!findings.isEmpty()) {
      return new Result(Optional.empty(), findings);
    }
    if (documents.size() > 1) {
      return failed(source, Binder.positionOf(documents.get(1)).line(),
          "mesh config must be one YAML document, found " + documents.size());
    }
    if (documents.isEmpty()) {
      return new Result(Optional.of(MeshConfig.DEFAULT), List.of());
    }
    Binder binder = new Binder("", limits, lines);
    MeshConfig config;
    try {
      config = bind(documents.getFirst(), binder, findings, source);
    } catch (Binder.BudgetExceeded e) {
      findings.addAll(problems(source, documents.getFirst(), binder));
      findings.add(new ConfigError(Severity.ERROR, source, 1, RESOURCE, "", e.getMessage()));
      return new Result(Optional.empty(), findings);
    }
    findings.addAll(problems(source, documents.getFirst(), binder));
    findings.sort(Comparator.comparingInt(ConfigError::line));
    boolean failed = config == null || findings.stream().anyMatch(ConfigError::isError);
    return new Result(failed ? Optional.empty() : Optional.of(config), findings);
  }

  private static MeshConfig bind(Node root, Binder binder, List<ConfigError> findings, String source) {
    if (!(root instanceof MappingNode mapping)) {
      binder.problem("", "mesh config must be a mapping of MeshConfig fields, found: " + Binder.nodeTypeName(root));
      return null;
    }
    binder.mark("", root);
    List<String> skipped = new ArrayList<>();
    Node providers = null;
    MeshConfig.DefaultConfig defaultConfig = null;
    for (NodeTuple tuple : mapping.getValue()) {
      String key = Binder.keyText(tuple.getKeyNode());
      if (MODELLED.contains(key)) {
        continue;
      }
      skipped.add(key);
      if (key.equals("extensionProviders")) {
        binder.mark(key, tuple.getKeyNode());
        providers = tuple.getValueNode();
      } else if (key.equals("defaultConfig")) {
        // ProxyConfig has many fields Weft does not act on: bound leniently, keeping only what the record holds.
        binder.mark(key, tuple.getKeyNode());
        defaultConfig = Binder.isNull(tuple.getValueNode()) ? null
            : binder.bindRecord(tuple.getValueNode(), MeshConfig.DefaultConfig.class, key, false, List.of());
      } else if (IGNORED.contains(key)) {
        findings.add(new ConfigError(Severity.WARNING, source, Binder.positionOf(tuple.getKeyNode()).line(),
            RESOURCE, key, "not supported by Weft: ignored"));
      } else {
        findings.add(new ConfigError(Severity.WARNING, source, Binder.positionOf(tuple.getKeyNode()).line(),
            RESOURCE, key, "unknown field \"" + EchoedValue.of(key) + "\": ignored"));
      }
    }
    MeshConfig bound = binder.bindRecord(root, MeshConfig.class, "", true, skipped);
    if (bound == null) {
      return null;
    }
    List<ExtensionProvider> extensionProviders = providers == null || Binder.isNull(providers)
        ? List.of()
        : providers(providers, binder, findings, source);
    MeshConfig config = new MeshConfig(
        bound.rootNamespace().isEmpty() ? MeshConfig.DEFAULT_ROOT_NAMESPACE : bound.rootNamespace(),
        bound.trustDomain().isEmpty() ? MeshConfig.DEFAULT_TRUST_DOMAIN : bound.trustDomain(),
        bound.trustDomainAliases(), bound.outboundTrafficPolicy(), extensionProviders, bound.accessLogFile(),
        bound.accessLogFormat(), bound.accessLogEncoding(), bound.defaultProviders(), defaultConfig,
        bound.discoverySelectors());
    validate(config, binder);
    return config;
  }

  /** Binds each provider Weft implements; the kinds it does not are left out with a warning. */
  private static List<ExtensionProvider> providers(Node node, Binder binder, List<ConfigError> findings,
      String source) {
    if (!(node instanceof SequenceNode sequence)) {
      binder.problem("extensionProviders", Binder.typeMismatch("extensionProviders", node, "array"));
      return List.of();
    }
    List<ExtensionProvider> providers = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < sequence.getValue().size(); i++) {
      Node item = sequence.getValue().get(i);
      String path = "extensionProviders[" + i + "]";
      binder.mark(path, item);
      Set<String> kinds = new LinkedHashSet<>();
      if (item instanceof MappingNode fields) {
        for (NodeTuple tuple : fields.getValue()) {
          String key = Binder.keyText(tuple.getKeyNode());
          if (KINDS.contains(key) || OTHER_KINDS.contains(key)) {
            kinds.add(key);
          }
        }
      }
      if (kinds.size() == 1 && OTHER_KINDS.containsAll(kinds)) {
        findings.add(new ConfigError(Severity.WARNING, source, Binder.positionOf(item).line(), RESOURCE, path,
            "provider kind " + kinds.iterator().next() + " is not implemented by Weft: ignored"));
        continue;
      }
      ExtensionProvider provider = binder.bindRecord(item, ExtensionProvider.class, path, true, List.of());
      if (provider == null) {
        continue;
      }
      if (provider.name().isEmpty()) {
        binder.problem(path + ".name", "Required value: extension provider name must not be empty");
      } else if (!PROVIDER_NAME.matcher(provider.name()).matches()) {
        binder.problem(path + ".name", "Invalid value: \"" + EchoedValue.of(provider.name())
            + "\": only lowercase letters, digits and inner hyphens, at most 63 characters");
      } else if (!names.add(provider.name())) {
        binder.problem(path + ".name", "extension provider name must be unique, found duplicate: "
            + provider.name());
      }
      if (kinds.size() != 1) {
        binder.problem(path, kinds.isEmpty()
            ? "Required value: one provider kind (" + String.join(", ", KINDS) + ")"
            : "exactly one provider kind may be set, found " + String.join(", ", kinds));
        continue;
      }
      if (provider.envoyExtAuthzHttp() != null) {
        validateHttp(provider.envoyExtAuthzHttp(), path + ".envoyExtAuthzHttp", binder);
      }
      if (provider.zipkin() != null) {
        validateService(provider.zipkin().service(), provider.zipkin().port(), path + ".zipkin", binder);
      }
      if (provider.opentelemetry() != null) {
        validateService(provider.opentelemetry().service(), provider.opentelemetry().port(), path + ".opentelemetry",
            binder);
      }
      if (provider.envoyExtAuthzGrpc() != null) {
        EnvoyExternalAuthorizationGrpcProvider grpc = provider.envoyExtAuthzGrpc();
        String grpcPath = path + ".envoyExtAuthzGrpc";
        validateService(grpc.service(), grpc.port(), grpcPath, binder);
        validateStatus(grpc.statusOnError(), grpcPath, binder);
        validateBody(grpc.includeRequestBodyInCheck(), grpcPath, binder);
      }
      if (provider.envoyFileAccessLog() != null) {
        validateFileAccessLog(provider.envoyFileAccessLog(), path + ".envoyFileAccessLog", binder);
      }
      providers.add(provider);
    }
    return providers;
  }

  private static void validateHttp(EnvoyExternalAuthorizationHttpProvider http, String path, Binder binder) {
    validateService(http.service(), http.port(), path, binder);
    validateStatus(http.statusOnError(), path, binder);
    validateBody(http.includeRequestBodyInCheck(), path, binder);
    if (!http.pathPrefix().isEmpty() && !http.pathPrefix().startsWith("/")) {
      binder.problem(path + ".pathPrefix", "Invalid value: \"" + EchoedValue.of(http.pathPrefix())
          + "\": pathPrefix must begin with `/`");
    }
  }

  /** Envoy requires a path; Istio's LogFormat is a oneof. */
  private static void validateFileAccessLog(EnvoyFileAccessLogProvider log, String path, Binder binder) {
    if (log.path().isEmpty()) {
      binder.problem(path + ".path", "Required value: path must not be empty");
    }
    if (log.logFormat() != null && !log.logFormat().text().isEmpty() && log.logFormat().labels() != null) {
      binder.problem(path + ".logFormat", "only one of text and labels may be set");
    }
  }

  private static void validateService(String service, long port, String path, Binder binder) {
    if (service.isEmpty()) {
      binder.problem(path + ".service", "Required value: service must not be empty");
    } else if (!SERVICE.matcher(service).matches()) {
      binder.problem(path + ".service", "Invalid value: \"" + EchoedValue.of(service)
          + "\": must be <hostname> or <namespace>/<hostname>");
    }
    if (port < 1 || port > 65535) {
      binder.problem(path + ".port", "Invalid value: " + port + ": port must be in the range [1, 65535]");
    }
  }

  /** Envoy's HttpStatus takes the codes from 100 to 599. */
  private static void validateStatus(String status, String path, Binder binder) {
    if (!status.isEmpty() && !(status.matches("\\d{3}") && status.charAt(0) >= '1' && status.charAt(0) <= '5')) {
      binder.problem(path + ".statusOnError", "Invalid value: \"" + EchoedValue.of(status)
          + "\": must be an HTTP status code from 100 to 599");
    }
  }

  private static void validateBody(EnvoyExternalAuthorizationRequestBody body, String path, Binder binder) {
    if (body != null && (body.maxRequestBytes() < 0 || body.maxRequestBytes() > 0xFFFF_FFFFL)) {
      binder.problem(path + ".includeRequestBodyInCheck.maxRequestBytes", "Invalid value: "
          + body.maxRequestBytes() + ": must be an unsigned 32-bit integer");
    }
  }

  private static void validate(MeshConfig config, Binder binder) {
    if (config.defaultConfig() != null && config.defaultConfig().tracing() != null) {
      Double sampling = config.defaultConfig().tracing().sampling();
      if (sampling != null && (sampling < 0 || sampling > 100)) {
        binder.problem("defaultConfig.tracing.sampling", "Invalid value: " + sampling
            + ": sampling must be between 0.0 and 100.0");
      }
    }
    if (config.defaultConfig() != null && config.defaultConfig().proxyStatsMatcher() != null) {
      List<String> regexps = config.defaultConfig().proxyStatsMatcher().inclusionRegexps();
      for (int i = 0; i < regexps.size(); i++) {
        try {
          java.util.regex.Pattern.compile(regexps.get(i));
        } catch (java.util.regex.PatternSyntaxException e) {
          binder.problem("defaultConfig.proxyStatsMatcher.inclusionRegexps[" + i + "]", "Invalid value: \""
              + EchoedValue.of(regexps.get(i)) + "\": " + e.getDescription());
        }
      }
    }
    for (int i = 0; i < config.discoverySelectors().size(); i++) {
      var expressions = config.discoverySelectors().get(i).matchExpressions();
      for (int j = 0; expressions != null && j < expressions.size(); j++) {
        String operator = expressions.get(j).operator();
        if (!List.of("In", "NotIn", "Exists", "DoesNotExist").contains(operator)) {
          binder.problem("discoverySelectors[" + i + "].matchExpressions[" + j + "].operator", "Unsupported value: \""
              + EchoedValue.of(String.valueOf(operator)) + "\": supported values: \"DoesNotExist\", \"Exists\","
              + " \"In\", \"NotIn\"");
        }
      }
    }
    if (!LABEL.matcher(config.rootNamespace()).matches()) {
      binder.problem("rootNamespace", "Invalid value: \"" + EchoedValue.of(config.rootNamespace())
          + "\": a namespace name must be a DNS-1123 label");
    }
    checkTrustDomain(config.trustDomain(), "trustDomain", binder);
    for (int i = 0; i < config.trustDomainAliases().size(); i++) {
      checkTrustDomain(config.trustDomainAliases().get(i), "trustDomainAliases[" + i + "]", binder);
    }
  }

  private static void checkTrustDomain(String domain, String path, Binder binder) {
    if (!TRUST_DOMAIN.matcher(domain).matches()) {
      binder.problem(path, "Invalid value: \"" + EchoedValue.of(domain)
          + "\": a trust domain holds only letters, digits, '.', '-' and '_'");
    }
  }

  private static List<ConfigError> problems(String source, Node root, Binder binder) {
    Origin origin = new Origin(source, Binder.positionOf(root), binder.fields());
    return binder.problems().stream()
        .map(p -> new ConfigError(Severity.ERROR, source, p.line() > 0 ? p.line() : origin.lineOf(p.path()),
            RESOURCE, p.path(), p.message()))
        .toList();
  }

  private static Result failed(String source, String message) {
    return failed(source, 1, message);
  }

  private static Result failed(String source, int line, String message) {
    return new Result(Optional.empty(),
        List.of(new ConfigError(Severity.ERROR, source, line, RESOURCE, "", message)));
  }
}
