package dev.weft.model.mesh;

import dev.weft.model.NullWhenAbsent;
import dev.weft.model.kube.LabelSelector;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The part of Istio's MeshConfig ({@code istio} ConfigMap {@code mesh:} key, IstioOperator {@code meshConfig:})
 * that Weft uses. Absent fields take Istio's defaults when loaded ({@link dev.weft.model.load.MeshConfigLoader}).
 *
 * @param rootNamespace where mesh-wide policies live (istio-system)
 * @param trustDomain the trust domain of workload identities (cluster.local)
 * @param trustDomainAliases trust domains whose identities count as this one's in policies
 * @param outboundTrafficPolicy null for Istio's default, ALLOW_ANY
 * @param extensionProviders the external authorizers CUSTOM AuthorizationPolicies name, the Zipkin and
 *     OpenTelemetry tracers and the file access logs Telemetry names; providers of kinds Weft does not implement
 *     (other tracers, metrics, log services) are left out with a warning
 * @param accessLogFile where every proxy writes its access log ({@code /dev/stdout} or a file); empty: no access log
 * @param accessLogFormat the format, Envoy's command operators; empty: Istio's default for the encoding
 * @param accessLogEncoding TEXT (Istio's default, also when null) or JSON
 * @param defaultProviders the providers Telemetry uses where no Telemetry resource names one; null when absent
 * @param defaultConfig the proxy config every proxy gets; of it Weft reads {@code tracing.sampling},
 *     {@code proxyStatsMatcher} and {@code proxyHeaders.server}
 * @param discoverySelectors the namespaces whose Services and pods a Kubernetes cluster contributes (any selector
 *     matching the namespace's labels); empty: every namespace
 */
public record MeshConfig(
    String rootNamespace,
    String trustDomain,
    List<String> trustDomainAliases,
    OutboundTrafficPolicy outboundTrafficPolicy,
    List<ExtensionProvider> extensionProviders,
    String accessLogFile,
    String accessLogFormat,
    @NullWhenAbsent AccessLogEncoding accessLogEncoding,
    @NullWhenAbsent DefaultProviders defaultProviders,
    @NullWhenAbsent DefaultConfig defaultConfig,
    List<LabelSelector> discoverySelectors) {

  public enum AccessLogEncoding { TEXT, JSON }

  public static final String DEFAULT_ROOT_NAMESPACE = "istio-system";
  public static final String DEFAULT_TRUST_DOMAIN = "cluster.local";

  /** Istio's defaults: what an empty mesh config means. */
  public static final MeshConfig DEFAULT = new MeshConfig(DEFAULT_ROOT_NAMESPACE, DEFAULT_TRUST_DOMAIN, List.of(),
      null, List.of(), "", "", null, null, null, List.of());

  public MeshConfig {
    trustDomainAliases = List.copyOf(trustDomainAliases);
    extensionProviders = List.copyOf(extensionProviders);
    discoverySelectors = List.copyOf(discoverySelectors);
  }

  /** {@code defaultProviders}: provider names per telemetry kind. */
  public record DefaultProviders(List<String> tracing, List<String> metrics, List<String> accessLogging) {}

  /** The slice of {@code defaultConfig} (ProxyConfig) Weft reads; its other fields are accepted and ignored. */
  public record DefaultConfig(@NullWhenAbsent ProxyTracing tracing,
      @NullWhenAbsent ProxyStatsMatcher proxyStatsMatcher, @NullWhenAbsent ProxyHeaders proxyHeaders) {}

  /** ProxyConfig {@code proxyHeaders}; of it Weft reads {@code server}. */
  public record ProxyHeaders(@NullWhenAbsent ServerHeader server) {}

  /**
   * ProxyConfig {@code proxyHeaders.server}: {@code disabled} lets the upstream's {@code server} header through (none
   * added); {@code value} replaces Istio's {@code istio-envoy}.
   */
  public record ServerHeader(boolean disabled, String value) {}

  /**
   * ProxyConfig {@code proxyStatsMatcher}: the Envoy stats a proxy's Prometheus endpoint shows besides the few
   * Istio always shows, by name prefix, suffix or (RE2) regex.
   */
  public record ProxyStatsMatcher(List<String> inclusionPrefixes, List<String> inclusionSuffixes,
      List<String> inclusionRegexps) {
    public ProxyStatsMatcher {
      inclusionPrefixes = List.copyOf(inclusionPrefixes);
      inclusionSuffixes = List.copyOf(inclusionSuffixes);
      inclusionRegexps = List.copyOf(inclusionRegexps);
    }
  }

  /** ProxyConfig {@code tracing}: {@code sampling} in percent, null for Istio's default (1%). */
  public record ProxyTracing(@NullWhenAbsent Double sampling) {}

  /** Whether a sidecar may send traffic to hosts outside the registry (ALLOW_ANY, Istio's default). */
  public boolean allowAnyOutbound() {
    return outboundTrafficPolicy == null || outboundTrafficPolicy.mode() != OutboundTrafficPolicy.Mode.REGISTRY_ONLY;
  }

  /** {@code outboundTrafficPolicy}; an absent mode keeps Istio's default ALLOW_ANY, as its merge over defaults does. */
  public record OutboundTrafficPolicy(@NullWhenAbsent Mode mode) {
    public enum Mode { REGISTRY_ONLY, ALLOW_ANY }
  }

  /** One of {@code extensionProviders}: exactly one kind is set. */
  public record ExtensionProvider(
      String name,
      EnvoyExternalAuthorizationHttpProvider envoyExtAuthzHttp,
      EnvoyExternalAuthorizationGrpcProvider envoyExtAuthzGrpc,
      ZipkinTracingProvider zipkin,
      OpenTelemetryTracingProvider opentelemetry,
      @NullWhenAbsent EnvoyFileAccessLogProvider envoyFileAccessLog) {}

  /**
   * {@code zipkin}: a Zipkin collector for traces.
   *
   * @param service {@code <namespace>/<hostname>}, or a hostname declared in one namespace only
   * @param maxTagLength the longest tag value (Envoy's max_path_tag_length); 0 for Istio's default, 256
   * @param enable64bitTraceId 64-bit trace ids instead of 128-bit
   */
  public record ZipkinTracingProvider(
      String service,
      long port,
      long maxTagLength,
      boolean enable64bitTraceId,
      String path) {}

  /**
   * {@code opentelemetry}: an OpenTelemetry collector for traces, over gRPC, or over HTTP when {@code http} is set.
   *
   * @param service {@code <namespace>/<hostname>}, or a hostname declared in one namespace only
   * @param maxTagLength the longest tag value; 0 for Envoy's default, 256
   */
  public record OpenTelemetryTracingProvider(
      String service,
      long port,
      long maxTagLength,
      @NullWhenAbsent OpenTelemetryHttp http) {}

  /** {@code opentelemetry.http}: OTLP/HTTP to {@code path} (e.g. {@code /v1/traces}); timeout null for 5 s. */
  public record OpenTelemetryHttp(String path, Duration timeout) {}

  /**
   * {@code envoyFileAccessLog}: Envoy's file access log at {@code path}, in {@code logFormat} or, without one,
   * Istio's default text format.
   */
  public record EnvoyFileAccessLogProvider(String path, @NullWhenAbsent LogFormat logFormat) {

    /** Exactly one of {@code text} (command operators) and {@code labels} (JSON keys to format strings). */
    public record LogFormat(String text, @NullWhenAbsent Map<String, String> labels) {}
  }

  /** {@code envoyExtAuthzHttp}: Envoy's ext_authz filter with an HTTP authorization service. */
  public record EnvoyExternalAuthorizationHttpProvider(
      String service,
      long port,
      Duration timeout,
      String pathPrefix,
      boolean failOpen,
      String statusOnError,
      List<String> includeHeadersInCheck,
      List<String> includeRequestHeadersInCheck,
      Map<String, String> includeAdditionalHeadersInCheck,
      EnvoyExternalAuthorizationRequestBody includeRequestBodyInCheck,
      List<String> headersToUpstreamOnAllow,
      List<String> headersToDownstreamOnDeny,
      List<String> headersToDownstreamOnAllow) {}

  /** {@code envoyExtAuthzGrpc}: Envoy's ext_authz filter with a gRPC authorization service. */
  public record EnvoyExternalAuthorizationGrpcProvider(
      String service,
      long port,
      Duration timeout,
      boolean failOpen,
      String statusOnError,
      EnvoyExternalAuthorizationRequestBody includeRequestBodyInCheck) {}

  /** {@code includeRequestBodyInCheck}: buffer the request body and send it with the check. */
  public record EnvoyExternalAuthorizationRequestBody(
      long maxRequestBytes,
      boolean allowPartialMessage,
      boolean packAsBytes) {}
}
