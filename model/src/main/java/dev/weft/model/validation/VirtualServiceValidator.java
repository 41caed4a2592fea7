package dev.weft.model.validation;

import dev.weft.model.networking.CorsPolicy;
import dev.weft.model.networking.Destination;
import dev.weft.model.networking.FaultAbort;
import dev.weft.model.networking.FaultDelay;
import dev.weft.model.networking.HTTPDirectResponse;
import dev.weft.model.networking.HTTPFaultInjection;
import dev.weft.model.networking.HTTPMatchRequest;
import dev.weft.model.networking.HTTPRedirect;
import dev.weft.model.networking.HTTPRetry;
import dev.weft.model.networking.HTTPRewrite;
import dev.weft.model.networking.HTTPRoute;
import dev.weft.model.networking.HTTPRouteDestination;
import dev.weft.model.networking.HeaderOperations;
import dev.weft.model.networking.Headers;
import dev.weft.model.networking.L4MatchAttributes;
import dev.weft.model.networking.Percent;
import dev.weft.model.networking.RouteDestination;
import dev.weft.model.networking.StringMatch;
import dev.weft.model.networking.TCPRoute;
import dev.weft.model.networking.TLSMatchAttributes;
import dev.weft.model.networking.TLSRoute;
import dev.weft.model.networking.VirtualService;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Istio's validation rules for VirtualService (SEMANTICS §1 and §14). */
final class VirtualServiceValidator {
  private static final Set<String> RETRY_ON = Set.of(
      "5xx", "gateway-error", "reset", "reset-before-request", "connect-failure", "retriable-4xx",
      "refused-stream", "retriable-status-codes", "retriable-headers", "envoy-ratelimited",
      "http3-post-connect-failure", "cancelled", "deadline-exceeded", "internal", "resource-exhausted",
      "unavailable");
  private static final Set<String> GRPC_STATUS = Set.of(
      "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
      "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
      "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED");
  private static final Set<String> HTTP_METHODS = Set.of(
      "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "*");
  private static final Set<String> MATCH_PSEUDO_KEYS = Set.of("uri", "scheme", "method", "authority");
  private static final int MAX_DIRECT_RESPONSE_BYTES = 1024 * 1024;
  /**
   * Routes of each kind (http, tls, tcp) in one VirtualService. Istio sets no bound; this generous one keeps a
   * route table within what a proxy matches well and what weftd holds in memory.
   */
  static final int MAX_ROUTES = 10_000;
  /** Header keys naming a JWT claim (gateways only); claim names are case-sensitive. */
  private static final String JWT_CLAIM_PREFIX = "@request.auth.claims";

  private VirtualServiceValidator() {}

  /** Kubernetes' wording for a list over its maxItems; its routes are not checked one by one. */
  private static boolean withinRouteLimit(List<?> routes, String path, Findings findings) {
    if (routes.size() <= MAX_ROUTES) {
      return true;
    }
    findings.error(path, "Too many: " + routes.size() + ": must have at most " + MAX_ROUTES + " items");
    return false;
  }

  static void validate(VirtualService vs, Findings findings) {
    boolean delegate = vs.hosts().isEmpty();
    if (delegate) {
      if (!vs.gateways().isEmpty()) {
        findings.error("spec.gateways", "delegate virtual service must have no gateways specified");
      }
      if (!vs.tls().isEmpty()) {
        findings.error("spec.tls", "delegate virtual service must have no tls route specified");
      }
      if (!vs.tcp().isEmpty()) {
        findings.error("spec.tcp", "delegate virtual service must have no tcp route specified");
      }
    }
    checkHosts(vs, findings);
    checkGateways(vs.gateways(), "spec.gateways", findings);
    if (vs.http().isEmpty() && vs.tcp().isEmpty() && vs.tls().isEmpty()) {
      findings.error("spec", "http, tcp or tls must be provided in virtual service");
    }
    ExportTo.check(vs.exportTo(), false, "spec.exportTo", findings);
    boolean routesWithinLimit = withinRouteLimit(vs.http(), "spec.http", findings);
    routesWithinLimit &= withinRouteLimit(vs.tls(), "spec.tls", findings);
    routesWithinLimit &= withinRouteLimit(vs.tcp(), "spec.tcp", findings);
    if (!routesWithinLimit) {
      return;
    }
    for (int i = 0; i < vs.http().size(); i++) {
      checkHttpRoute(vs.http().get(i), "spec.http[" + i + "]", findings);
    }
    for (int i = 0; i < vs.tls().size(); i++) {
      checkTlsRoute(vs, vs.tls().get(i), "spec.tls[" + i + "]", findings);
    }
    for (int i = 0; i < vs.tcp().size(); i++) {
      checkTcpRoute(vs.tcp().get(i), "spec.tcp[" + i + "]", findings);
    }
  }

  private static void checkHosts(VirtualService vs, Findings findings) {
    boolean gatewayOnly = !vs.gateways().isEmpty() && !vs.gateways().contains("mesh");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < vs.hosts().size(); i++) {
      String host = vs.hosts().get(i);
      String path = "spec.hosts[" + i + "]";
      if (!seen.add(host)) {
        findings.error(path, "duplicate hosts in virtual service: " + host);
        continue;
      }
      if (IpAddresses.isIp(host)) {
        if (!gatewayOnly) {
          findings.error(path, "IP address " + host + " is allowed only in gateway-bound virtual services");
        }
        continue;
      }
      String problem = DomainNames.checkWildcardDomain(host, false);
      if (problem != null) {
        findings.error(path, problem);
      } else if (host.equals("*") && !gatewayOnly) {
        findings.error(path, "wildcard host * is not allowed for virtual services bound to the mesh gateway");
      }
    }
  }

  static void checkGateways(List<String> gateways, String path, Findings findings) {
    for (int i = 0; i < gateways.size(); i++) {
      String gateway = gateways.get(i);
      if (gateway.equals("mesh")) {
        continue;
      }
      int slash = gateway.indexOf('/');
      String namespace = slash < 0 ? "" : gateway.substring(0, slash);
      String name = gateway.substring(slash + 1);
      boolean validNamespace = slash < 0 || DomainNames.isLabel(namespace);
      boolean validName = DomainNames.isSubdomain(name);
      if (!validNamespace || !validName) {
        findings.error(path + "[" + i + "]", "invalid gateway name: \"" + gateway + "\"");
      }
    }
  }

  private static void checkHttpRoute(HTTPRoute route, String path, Findings findings) {
    boolean hasRoute = !route.route().isEmpty();
    boolean hasRedirect = route.redirect() != null;
    boolean hasDirect = route.directResponse() != null;
    boolean hasDelegate = route.delegate() != null;
    if (!hasRoute && !hasRedirect && !hasDirect && !hasDelegate) {
      findings.error(path, "HTTP route, redirect or direct_response is required");
    }
    if (hasRoute && hasRedirect) {
      findings.error(path, "HTTP route cannot contain both route and redirect");
    }
    if (hasRoute && hasDirect) {
      findings.error(path, "HTTP route cannot contain both route and direct_response");
    }
    if (hasRedirect && hasDirect) {
      findings.error(path, "HTTP route cannot contain both redirect and direct_response");
    }
    if (hasDelegate && (hasRoute || hasRedirect || hasDirect)) {
      findings.error(path + ".delegate", "HTTP route cannot contain delegate together with route, redirect or direct_response");
    }
    if (route.rewrite() != null && (hasRedirect || hasDirect)) {
      findings.error(path + ".rewrite", "HTTP route rule cannot contain both rewrite and redirect or direct_response");
    }
    if (route.fault() != null && (hasRedirect || hasDirect)) {
      findings.error(path + ".fault", "HTTP route cannot contain both fault and redirect or direct_response");
    }
    if (route.mirror() != null && !route.mirrors().isEmpty()) {
      findings.error(path, "HTTP route cannot contain both mirror and mirrors");
    }
    for (int i = 0; i < route.match().size(); i++) {
      checkHttpMatch(route.match().get(i), path + ".match[" + i + "]", findings);
    }
    checkHttpDestinations(route.route(), path + ".route", findings);
    if (hasRedirect) {
      checkRedirect(route.redirect(), route, path + ".redirect", findings);
    }
    if (hasDirect) {
      checkDirectResponse(route.directResponse(), path + ".directResponse", findings);
    }
    if (hasDelegate) {
      if (route.delegate().name().isEmpty()) {
        findings.required(path + ".delegate.name");
      }
      if (!route.delegate().namespace().isEmpty() && !DomainNames.isLabel(route.delegate().namespace())) {
        findings.error(path + ".delegate.namespace", "Invalid value: \"" + route.delegate().namespace()
            + "\": must be a namespace name");
      }
    }
    checkRewrite(route.rewrite(), path + ".rewrite", findings);
    Durations.checkZeroOrAtLeastMillisecond(route.timeout(), path + ".timeout", findings);
    checkRetries(route.retries(), path + ".retries", findings);
    checkFault(route.fault(), path + ".fault", findings);
    if (route.mirror() != null) {
      checkDestination(route.mirror(), path + ".mirror", findings);
    }
    if (route.mirrorPercent() != null && route.mirrorPercent() > 100) {
      findings.error(path + ".mirrorPercent", "mirror_percent must have a max value of 100");
    }
    checkPercent(route.mirrorPercentage(), path + ".mirrorPercentage", findings);
    for (int i = 0; i < route.mirrors().size(); i++) {
      String mirrorPath = path + ".mirrors[" + i + "]";
      if (route.mirrors().get(i).destination() == null) {
        findings.required(mirrorPath + ".destination");
      } else {
        checkDestination(route.mirrors().get(i).destination(), mirrorPath + ".destination", findings);
      }
      checkPercent(route.mirrors().get(i).percentage(), mirrorPath + ".percentage", findings);
    }
    checkCors(route.corsPolicy(), path + ".corsPolicy", findings);
    checkHeaders(route.headers(), path + ".headers", findings);
  }

  private static void checkHttpMatch(HTTPMatchRequest match, String path, Findings findings) {
    StringMatches.check(match.uri(), path + ".uri", findings);
    StringMatches.check(match.scheme(), path + ".scheme", findings);
    StringMatches.check(match.method(), path + ".method", findings);
    StringMatches.check(match.authority(), path + ".authority", findings);
    checkMatchHeaders(match.headers(), path + ".headers", findings);
    checkMatchHeaders(match.withoutHeaders(), path + ".withoutHeaders", findings);
    match.queryParams().forEach((name, value) ->
        StringMatches.check(value, path + ".queryParams[" + name + "]", findings));
    if (match.port() != 0) {
      Ports.check(match.port(), path + ".port", findings);
    }
    Labels.checkSelector(match.sourceLabels(), path + ".sourceLabels", findings);
    checkGateways(match.gateways(), path + ".gateways", findings);
    if (!match.sourceNamespace().isEmpty() && !DomainNames.isLabel(match.sourceNamespace())) {
      findings.error(path + ".sourceNamespace", "Invalid value: \"" + match.sourceNamespace()
          + "\": must be a namespace name");
    }
  }

  private static void checkMatchHeaders(Map<String, StringMatch> headers, String path, Findings findings) {
    headers.forEach((name, value) -> {
      String entry = path + "[" + name + "]";
      if (MATCH_PSEUDO_KEYS.contains(name)) {
        return;
      }
      if (!name.startsWith(JWT_CLAIM_PREFIX) && !name.equals(name.toLowerCase(Locale.ROOT))) {
        findings.error(entry, "header match " + name + " must be lowercase");
      } else if (name.isEmpty()) {
        findings.error(entry, "header name must not be empty");
      }
      StringMatches.check(value, entry, findings);
    });
  }

  private static void checkHttpDestinations(List<HTTPRouteDestination> routes, String path, Findings findings) {
    long total = 0;
    for (int i = 0; i < routes.size(); i++) {
      HTTPRouteDestination route = routes.get(i);
      String routePath = path + "[" + i + "]";
      checkRequiredDestination(route.destination(), routePath + ".destination", findings);
      checkWeight(route.weight(), routePath + ".weight", findings);
      checkHeaders(route.headers(), routePath + ".headers", findings);
      total += route.weight();
    }
    if (routes.size() > 1 && total == 0) {
      findings.error(path, "total destination weight = 0");
    }
  }

  private static void checkL4Destinations(List<RouteDestination> routes, String path, Findings findings) {
    long total = 0;
    for (int i = 0; i < routes.size(); i++) {
      RouteDestination route = routes.get(i);
      String routePath = path + "[" + i + "]";
      checkRequiredDestination(route.destination(), routePath + ".destination", findings);
      checkWeight(route.weight(), routePath + ".weight", findings);
      total += route.weight();
    }
    if (routes.size() > 1 && total == 0) {
      findings.error(path, "total destination weight = 0");
    }
  }

  private static void checkWeight(int weight, String path, Findings findings) {
    if (weight < 0) {
      findings.error(path, "weight must be >= 0, got " + weight);
    }
  }

  private static void checkRequiredDestination(Destination destination, String path, Findings findings) {
    if (destination == null) {
      findings.error(path, "Required value: destination is required");
    } else {
      checkDestination(destination, path, findings);
    }
  }

  static void checkDestination(Destination destination, String path, Findings findings) {
    if (destination.host().isEmpty()) {
      findings.required(path + ".host");
    } else {
      String problem = DomainNames.checkWildcardDomain(destination.host(), false);
      if (problem != null) {
        findings.error(path + ".host", problem);
      }
    }
    if (!destination.subset().isEmpty() && !DomainNames.isLabel(destination.subset())) {
      findings.error(path + ".subset", "subset name is invalid: " + destination.subset());
    }
    if (destination.port() != null) {
      Ports.check(destination.port().number(), path + ".port.number", findings);
    }
  }

  private static void checkRedirect(HTTPRedirect redirect, HTTPRoute route, String path, Findings findings) {
    if (redirect.uri().isEmpty() && redirect.prefixRewrite().isEmpty() && redirect.authority().isEmpty()
        && redirect.scheme().isEmpty() && redirect.port() == 0 && redirect.derivePort() == null) {
      findings.error(path, "redirect must specify URI, authority, scheme, or port");
    }
    if (!redirect.uri().isEmpty() && !redirect.prefixRewrite().isEmpty()) {
      findings.error(path, "only one of uri or prefixRewrite may be set");
    }
    if (!redirect.prefixRewrite().isEmpty() && (route.match().isEmpty()
        || route.match().stream().anyMatch(match -> match.uri() == null || match.uri().prefix() == null))) {
      findings.error(path + ".prefixRewrite", "prefixRewrite requires every match of the route to be a uri prefix match");
    }
    if (redirect.redirectCode() != 0 && (redirect.redirectCode() < 300 || redirect.redirectCode() > 399)) {
      findings.error(path + ".redirectCode", redirect.redirectCode() + " is not a valid redirect code, must be 3xx");
    }
    if (redirect.port() != 0) {
      Ports.check(redirect.port(), path + ".port", findings);
      if (redirect.derivePort() != null) {
        findings.error(path, "only one of port or derivePort may be set");
      }
    }
  }

  private static void checkDirectResponse(HTTPDirectResponse response, String path, Findings findings) {
    if (response.status() < 200 || response.status() > 599) {
      findings.error(path + ".status", "HTTP status " + response.status() + " is not in range 200-599");
    }
    if (response.body() == null) {
      return;
    }
    if (response.body().string() != null && response.body().bytes() != null) {
      findings.error(path + ".body", "only one of string or bytes may be set");
    }
    int size = 0;
    if (response.body().string() != null) {
      size = response.body().string().getBytes(StandardCharsets.UTF_8).length;
    } else if (response.body().bytes() != null) {
      try {
        size = Base64.getDecoder().decode(response.body().bytes().strip()).length;
      } catch (IllegalArgumentException e) {
        findings.error(path + ".body.bytes", "bytes must be base64: " + e.getMessage());
      }
    }
    if (size > MAX_DIRECT_RESPONSE_BYTES) {
      findings.error(path + ".body", "large direct_responses may impact control plane performance, must be less than 1MB");
    }
  }

  private static void checkRewrite(HTTPRewrite rewrite, String path, Findings findings) {
    if (rewrite == null) {
      return;
    }
    if (!rewrite.uri().isEmpty() && rewrite.uriRegexRewrite() != null) {
      findings.error(path, "rewrite may only contain one of URI or URIRegexRewrite");
    }
    if (rewrite.uriRegexRewrite() != null) {
      String regexPath = path + ".uriRegexRewrite";
      if (rewrite.uriRegexRewrite().match().isEmpty()) {
        findings.required(regexPath + ".match");
      } else {
        String problem = Regexes.check(rewrite.uriRegexRewrite().match());
        if (problem != null) {
          findings.error(regexPath + ".match", problem);
        }
      }
      if (rewrite.uriRegexRewrite().rewrite().isEmpty() && !findings.present(regexPath + ".rewrite")) {
        findings.required(regexPath + ".rewrite");
      }
    }
  }

  private static void checkRetries(HTTPRetry retries, String path, Findings findings) {
    if (retries == null) {
      return;
    }
    if (retries.attempts() < 0) {
      findings.error(path + ".attempts", "attempts cannot be negative");
    }
    Durations.checkAtLeastMillisecond(retries.perTryTimeout(), path + ".perTryTimeout", findings);
    Durations.checkAtLeastMillisecond(retries.backoff(), path + ".backoff", findings);
    if (retries.attempts() == 0 && (retries.perTryTimeout() != null || !retries.retryOn().isEmpty())) {
      findings.warning(path, "perTryTimeout and retryOn are ignored because attempts is 0 (retries disabled)");
    }
    if (!retries.retryOn().isEmpty()) {
      for (String policy : retries.retryOn().split(",", -1)) {
        String trimmed = policy.strip();
        if (RETRY_ON.contains(trimmed)) {
          continue;
        }
        if (trimmed.matches("\\d{3}") && Integer.parseInt(trimmed) >= 100 && Integer.parseInt(trimmed) <= 599) {
          continue;
        }
        findings.error(path + ".retryOn", "\"" + trimmed + "\" is not a valid retryOn policy");
      }
    }
  }

  private static void checkFault(HTTPFaultInjection fault, String path, Findings findings) {
    if (fault == null) {
      return;
    }
    if (fault.abort() == null && fault.delay() == null) {
      findings.error(path, "HTTP fault injection must have an abort and/or a delay");
    }
    FaultDelay delay = fault.delay();
    if (delay != null) {
      checkPercent(delay.percentage(), path + ".delay.percentage", findings);
      if (delay.percent() < 0 || delay.percent() > 100) {
        findings.error(path + ".delay.percent", "percentage " + delay.percent() + " is not in range 0..100");
      }
      if (delay.exponentialDelay() != null) {
        findings.error(path + ".delay.exponentialDelay", "exponentialDelay not supported yet");
      } else if (delay.fixedDelay() == null) {
        findings.required(path + ".delay.fixedDelay");
      }
      Durations.checkAtLeastMillisecond(delay.fixedDelay(), path + ".delay.fixedDelay", findings);
    }
    FaultAbort abort = fault.abort();
    if (abort != null) {
      checkPercent(abort.percentage(), path + ".abort.percentage", findings);
      if (!abort.grpcStatus().isEmpty()) {
        if (!GRPC_STATUS.contains(abort.grpcStatus())) {
          findings.error(path + ".abort.grpcStatus", "Unsupported value: \"" + abort.grpcStatus()
              + "\": must be a gRPC status name such as \"UNAVAILABLE\"");
        }
      } else if (abort.http2Error().isEmpty()
          && (abort.httpStatus() < 200 || abort.httpStatus() > 599)) {
        findings.error(path + ".abort.httpStatus", "HTTP status " + abort.httpStatus() + " is not in range 200-599");
      }
    }
  }

  static void checkPercent(Percent percent, String path, Findings findings) {
    if (percent != null && (percent.value() < 0 || percent.value() > 100 || Double.isNaN(percent.value()))) {
      findings.error(path + ".value", "percentage " + percent.value() + " is not in range 0..100");
    }
  }

  private static void checkCors(CorsPolicy cors, String path, Findings findings) {
    if (cors == null) {
      return;
    }
    for (int i = 0; i < cors.allowOrigins().size(); i++) {
      StringMatches.check(cors.allowOrigins().get(i), path + ".allowOrigins[" + i + "]", findings);
    }
    for (int i = 0; i < cors.allowMethods().size(); i++) {
      String method = cors.allowMethods().get(i);
      if (!HTTP_METHODS.contains(method)) {
        findings.error(path + ".allowMethods[" + i + "]", "\"" + method + "\" is not a supported HTTP method");
      }
    }
    for (int i = 0; i < cors.allowHeaders().size(); i++) {
      HeaderNames.check(cors.allowHeaders().get(i), path + ".allowHeaders[" + i + "]", findings);
    }
    for (int i = 0; i < cors.exposeHeaders().size(); i++) {
      HeaderNames.check(cors.exposeHeaders().get(i), path + ".exposeHeaders[" + i + "]", findings);
    }
    if (cors.maxAge() != null && cors.maxAge().toNanosPart() != 0) {
      findings.error(path + ".maxAge", "max_age duration is accurate only to seconds precision");
    }
  }

  private static void checkHeaders(Headers headers, String path, Findings findings) {
    if (headers == null) {
      return;
    }
    checkHeaderOperations(headers.request(), path + ".request", findings);
    checkHeaderOperations(headers.response(), path + ".response", findings);
  }

  private static void checkHeaderOperations(HeaderOperations operations, String path, Findings findings) {
    if (operations == null) {
      return;
    }
    operations.set().keySet().forEach(name -> HeaderNames.check(name, path + ".set[" + name + "]", findings));
    operations.add().keySet().forEach(name -> HeaderNames.check(name, path + ".add[" + name + "]", findings));
    for (int i = 0; i < operations.remove().size(); i++) {
      HeaderNames.check(operations.remove().get(i), path + ".remove[" + i + "]", findings);
    }
  }

  private static void checkTlsRoute(VirtualService vs, TLSRoute route, String path, Findings findings) {
    if (route.match().isEmpty()) {
      findings.error(path + ".match", "TLS route must have at least one match condition");
    }
    for (int i = 0; i < route.match().size(); i++) {
      TLSMatchAttributes match = route.match().get(i);
      String matchPath = path + ".match[" + i + "]";
      if (match.sniHosts().isEmpty()) {
        findings.error(matchPath + ".sniHosts", "TLS match must have at least one SNI host");
      }
      for (int j = 0; j < match.sniHosts().size(); j++) {
        String sni = match.sniHosts().get(j);
        String sniPath = matchPath + ".sniHosts[" + j + "]";
        String problem = DomainNames.checkWildcardDomain(sni, false);
        if (problem != null) {
          findings.error(sniPath, problem);
        } else if (!vs.hosts().isEmpty() && !sniWithinHosts(sni, vs, findings)) {
          findings.error(sniPath, "SNI host \"" + sni
              + "\" is not a compatible subset of any of the virtual service hosts: [" + String.join(", ", vs.hosts())
              + "]");
        }
      }
      checkSubnets(match.destinationSubnets(), matchPath + ".destinationSubnets", findings);
      if (match.port() != 0) {
        Ports.check(match.port(), matchPath + ".port", findings);
      }
      Labels.checkSelector(match.sourceLabels(), matchPath + ".sourceLabels", findings);
      checkGateways(match.gateways(), matchPath + ".gateways", findings);
    }
    if (route.route().isEmpty()) {
      findings.error(path + ".route", "TLS route is required");
    }
    checkL4Destinations(route.route(), path + ".route", findings);
  }

  /** An SNI host must fall within a VS host, comparing with the hosts both as written and as FQDNs. */
  private static boolean sniWithinHosts(String sni, VirtualService vs, Findings findings) {
    for (int i = 0; i < vs.hosts().size(); i++) {
      String written = findings.textOf("spec.hosts[" + i + "]").orElse(vs.hosts().get(i));
      if (covers(vs.hosts().get(i), sni) || covers(written, sni)) {
        return true;
      }
    }
    return false;
  }

  private static boolean covers(String host, String sni) {
    if (host.equals("*") || host.equals(sni)) {
      return true;
    }
    return host.startsWith("*") && (sni.endsWith(host.substring(1)) || sni.equals(host.substring(2)));
  }

  private static void checkTcpRoute(TCPRoute route, String path, Findings findings) {
    for (int i = 0; i < route.match().size(); i++) {
      L4MatchAttributes match = route.match().get(i);
      String matchPath = path + ".match[" + i + "]";
      checkSubnets(match.destinationSubnets(), matchPath + ".destinationSubnets", findings);
      if (!match.sourceSubnet().isEmpty()) {
        checkSubnet(match.sourceSubnet(), matchPath + ".sourceSubnet", findings);
      }
      if (match.port() != 0) {
        Ports.check(match.port(), matchPath + ".port", findings);
      }
      Labels.checkSelector(match.sourceLabels(), matchPath + ".sourceLabels", findings);
      checkGateways(match.gateways(), matchPath + ".gateways", findings);
    }
    if (route.route().isEmpty()) {
      findings.error(path + ".route", "TCP route is required");
    }
    checkL4Destinations(route.route(), path + ".route", findings);
  }

  private static void checkSubnets(List<String> subnets, String path, Findings findings) {
    for (int i = 0; i < subnets.size(); i++) {
      checkSubnet(subnets.get(i), path + "[" + i + "]", findings);
    }
  }

  private static void checkSubnet(String subnet, String path, Findings findings) {
    if (!IpAddresses.isIpOrCidr(subnet)) {
      findings.error(path, "Invalid value: \"" + subnet + "\": must be an IP address or CIDR block");
    }
  }
}
