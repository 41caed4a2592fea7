package dev.weft.model.validation;

import static dev.weft.model.validation.ValidationFixture.errors;
import static dev.weft.model.validation.ValidationFixture.load;
import static dev.weft.model.validation.ValidationFixture.warnings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.model.ConfigError;
import org.junit.jupiter.api.Test;

class VirtualServiceValidatorTest {
  private static final String HEADER = """
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: reviews}
      spec:
      """;

  private static String vs(String spec) {
    return HEADER + spec.indent(2);
  }

  private static String httpRoute(String route) {
    return vs("hosts: [reviews]\nhttp:\n- " + route.indent(2).substring(2));
  }

  @Test
  void aCompleteRuleIsValid() {
    assertThat(load(vs("""
        hosts: [reviews, "*.example.com"]
        gateways: [mesh, istio-system/ingress]
        http:
        - name: canary
          match:
          - headers: {end-user: {exact: jason}}
            uri: {prefix: /api}
            queryParams: {debug: {exact: ""}}
          route:
          - destination: {host: reviews, subset: v2}
            weight: 90
          - destination: {host: reviews, subset: v3, port: {number: 9080}}
            weight: 10
          timeout: 0s
          retries: {attempts: 3, perTryTimeout: 2s, retryOn: "5xx,connect-failure,503"}
          fault: {abort: {httpStatus: 503, percentage: {value: 10}}}
          mirror: {host: ratings}
          mirrorPercentage: {value: 50}
          corsPolicy: {allowOrigins: [{exact: "https://a.example"}], allowMethods: [GET, POST], maxAge: 24h}
          headers: {request: {set: {x-canary: "1"}, remove: [x-debug]}}
        - redirect: {uri: /v2, redirectCode: 302}
        """)).errors()).isEmpty();
  }

  @Test
  void hostsAndDestinationsAreExpandedButTheTextAsWrittenIsKept() {
    var vs = load(httpRoute("route: [{destination: {host: reviews}}]\nmirror: {host: ratings}"))
        .snapshot().virtualServices().getFirst();

    assertThat(vs.spec().http().getFirst().mirror().host()).isEqualTo("ratings.default.svc.cluster.local");
    assertThat(vs.origin().textOf("spec.http[0].mirror.host")).contains("ratings");
  }

  @Test
  void requiresSomeRoutes() {
    assertThat(errors(vs("hosts: [reviews]"))).containsExactly("spec: http, tcp or tls must be provided in virtual service");
  }

  @Test
  void rejectsDuplicateHostsComparingFqdns() {
    assertThat(errors(vs("hosts: [reviews, reviews.default.svc.cluster.local]\nhttp: [{route: [{destination: {host: reviews}}]}]")))
        .containsExactly("spec.hosts[1]: duplicate hosts in virtual service: reviews.default.svc.cluster.local");
  }

  @Test
  void rejectsInvalidHostsAndGateways() {
    assertThat(errors(vs("hosts: [\"bad_host.com\"]\ngateways: [\"a/b/c\"]\nhttp: [{route: [{destination: {host: reviews}}]}]")))
        .containsExactly(
            "spec.hosts[0]: domain name \"bad_host.com\" invalid (label \"bad_host\" invalid)",
            "spec.gateways[0]: invalid gateway name: \"a/b/c\"");
  }

  @Test
  void catchAllHostOnlyForGatewayBoundRules() {
    String route = "http: [{route: [{destination: {host: reviews}}]}]";
    assertThat(errors(vs("hosts: [\"*\"]\n" + route))).containsExactly(
        "spec.hosts[0]: wildcard host * is not allowed for virtual services bound to the mesh gateway");
    assertThat(errors(vs("hosts: [\"*\"]\ngateways: [bookinfo-gateway]\n" + route))).isEmpty();
  }

  @Test
  void ipHostsOnlyForGatewayBoundRules() {
    String route = "http: [{route: [{destination: {host: reviews}}]}]";
    assertThat(errors(vs("hosts: [10.0.0.1]\n" + route))).singleElement().asString()
        .contains("allowed only in gateway-bound");
    assertThat(errors(vs("hosts: [10.0.0.1]\ngateways: [ingress]\n" + route))).isEmpty();
  }

  @Test
  void routeRedirectAndDirectResponseAreExclusive() {
    assertThat(errors(httpRoute("name: nothing"))).containsExactly(
        "spec.http[0]: HTTP route, redirect or direct_response is required");
    assertThat(errors(httpRoute("route: [{destination: {host: a}}]\nredirect: {uri: /x}"))).containsExactly(
        "spec.http[0]: HTTP route cannot contain both route and redirect");
    assertThat(errors(httpRoute("redirect: {uri: /x}\ndirectResponse: {status: 200}"))).containsExactly(
        "spec.http[0]: HTTP route cannot contain both redirect and direct_response");
    assertThat(errors(httpRoute("directResponse: {status: 200}\nrewrite: {uri: /}"))).containsExactly(
        "spec.http[0].rewrite: HTTP route rule cannot contain both rewrite and redirect or direct_response");
    assertThat(errors(httpRoute("redirect: {uri: /}\nfault: {abort: {httpStatus: 500}}"))).containsExactly(
        "spec.http[0].fault: HTTP route cannot contain both fault and redirect or direct_response");
  }

  @Test
  void redirectRules() {
    assertThat(errors(httpRoute("redirect: {redirectCode: 301}"))).containsExactly(
        "spec.http[0].redirect: redirect must specify URI, authority, scheme, or port");
    assertThat(errors(httpRoute("redirect: {uri: /x, redirectCode: 200}"))).containsExactly(
        "spec.http[0].redirect.redirectCode: 200 is not a valid redirect code, must be 3xx");
    assertThat(errors(httpRoute("redirect: {derivePort: FROM_REQUEST_PORT}"))).isEmpty();
    assertThat(errors(httpRoute("match: [{uri: {prefix: /old}}]\nredirect: {prefixRewrite: /new}"))).isEmpty();
    assertThat(errors(httpRoute("match: [{uri: {exact: /old}}]\nredirect: {prefixRewrite: /new, uri: /x}")))
        .containsExactly(
            "spec.http[0].redirect: only one of uri or prefixRewrite may be set",
            "spec.http[0].redirect.prefixRewrite: prefixRewrite requires every match of the route to be a uri prefix"
                + " match");
  }

  @Test
  void directResponseStatusRange() {
    assertThat(errors(httpRoute("directResponse: {status: 99}"))).containsExactly(
        "spec.http[0].directResponse.status: HTTP status 99 is not in range 200-599");
    assertThat(errors(httpRoute("directResponse: {status: 503, body: {string: unavailable}}"))).isEmpty();
  }

  @Test
  void faultRules() {
    String route = "route: [{destination: {host: a}}]\n";
    assertThat(errors(httpRoute(route + "fault: {}"))).containsExactly(
        "spec.http[0].fault: HTTP fault injection must have an abort and/or a delay");
    assertThat(errors(httpRoute(route + "fault: {abort: {httpStatus: 700, percentage: {value: 101}}}")))
        .containsExactlyInAnyOrder(
            "spec.http[0].fault.abort.httpStatus: HTTP status 700 is not in range 200-599",
            "spec.http[0].fault.abort.percentage.value: percentage 101.0 is not in range 0..100");
    assertThat(errors(httpRoute(route + "fault: {abort: {grpcStatus: UNAVAILABLE}, delay: {fixedDelay: 5s}}")))
        .isEmpty();
  }

  @Test
  void retryRules() {
    String route = "route: [{destination: {host: a}}]\n";
    assertThat(errors(httpRoute(route + "retries: {attempts: -1}"))).containsExactly(
        "spec.http[0].retries.attempts: attempts cannot be negative");
    assertThat(errors(httpRoute(route + "retries: {attempts: 2, retryOn: \"5xx,sometimes\"}"))).containsExactly(
        "spec.http[0].retries.retryOn: \"sometimes\" is not a valid retryOn policy");
    assertThat(warnings(httpRoute(route + "retries: {attempts: 0, retryOn: 5xx}"))).singleElement().asString()
        .contains("attempts is 0");
  }

  @Test
  void weightRules() {
    assertThat(errors(httpRoute("route: [{destination: {host: a}, weight: -1}]"))).containsExactly(
        "spec.http[0].route[0].weight: weight must be >= 0, got -1");
    assertThat(errors(httpRoute("route: [{destination: {host: a}}, {destination: {host: b}}]"))).containsExactly(
        "spec.http[0].route: total destination weight = 0");
    assertThat(errors(httpRoute("route: [{destination: {host: a}, weight: 1}, {destination: {host: b}, weight: 3}]")))
        .as("weights no longer need to sum to 100").isEmpty();
  }

  @Test
  void errorNamesFileLineResourceAndPath() {
    ConfigError error = load(vs("""
        hosts: [reviews]
        http:
        - route:
          - destination: {host: reviews}
            weight: -5
        """)).errors().getFirst();

    assertThat(error).hasToString(
        "test.yaml:9: VirtualService default/reviews: spec.http[0].route[0].weight: weight must be >= 0, got -5");
  }

  @Test
  void matchRules() {
    String route = "route: [{destination: {host: a}}]\n";
    assertThat(errors(httpRoute(route + "match: [{headers: {End-User: {exact: jason}}}]"))).containsExactly(
        "spec.http[0].match[0].headers[End-User]: header match End-User must be lowercase");
    assertThat(errors(httpRoute(route + "match: [{headers: {\"@request.auth.claims.Groups\": {exact: admin}}}]")))
        .as("JWT claim names keep their case").isEmpty();
    assertThat(errors(httpRoute(route + "match: [{uri: {prefix: \"\"}}]"))).containsExactly(
        "spec.http[0].match[0].uri.prefix: prefix string match should not be empty");
    assertThat(errors(httpRoute(route + "match: [{uri: {regex: \"(unclosed\"}}]"))).singleElement().asString()
        .startsWith("spec.http[0].match[0].uri.regex: \"(unclosed\" is not a valid regex");
    assertThat(errors(httpRoute(route + "match: [{uri: {regex: \"(?=lookahead)\"}}]"))).singleElement().asString()
        .contains("not supported by RE2");
  }

  @Test
  void timeoutNeedsMillisecondsUnlessDisabled() {
    String route = "route: [{destination: {host: a}}]\n";
    assertThat(errors(httpRoute(route + "timeout: 500us"))).containsExactly(
        "spec.http[0].timeout: Invalid value: \"500000ns\": duration must be greater than 1ms");
    assertThat(errors(httpRoute(route + "timeout: 1500us"))).containsExactly(
        "spec.http[0].timeout: Invalid value: \"1500000ns\": only durations to ms precision are supported");
    assertThat(errors(httpRoute(route + "timeout: 0s"))).isEmpty();
  }

  @Test
  void mirrorAndMirrorsAreExclusive() {
    assertThat(errors(httpRoute("route: [{destination: {host: a}}]\nmirror: {host: b}\nmirrors: [{destination: {host: c}}]")))
        .containsExactly("spec.http[0]: HTTP route cannot contain both mirror and mirrors");
  }

  @Test
  void sniHostsMustFallWithinTheHosts() {
    String tls = """
        hosts: ["*.example.com", reviews]
        gateways: [ingress]
        tls:
        - match: [{sniHosts: [%s]}]
          route: [{destination: {host: backend}}]
        """;
    assertThat(errors(vs(tls.formatted("a.example.com, reviews")))).isEmpty();
    assertThat(errors(vs(tls.formatted("other.org")))).containsExactly(
        "spec.tls[0].match[0].sniHosts[0]: SNI host \"other.org\" is not a compatible subset of any of the virtual"
            + " service hosts: [*.example.com, reviews.default.svc.cluster.local]");
    assertThat(errors(vs(tls.formatted("")))).contains(
        "spec.tls[0].match[0].sniHosts: TLS match must have at least one SNI host");
  }

  @Test
  void delegateRules() {
    assertThat(errors(vs("gateways: [ingress]\nhttp: [{route: [{destination: {host: a}}]}]"))).containsExactly(
        "spec.gateways: delegate virtual service must have no gateways specified");
    assertThat(errors(vs("hosts: [a]\nhttp: [{delegate: {name: child, namespace: team}}]"))).isEmpty();
  }

  @Test
  void tcpSourceSubnetMustBeAnIpOrCidr() {
    String route = "hosts: [db]\ntcp: [{match: [{sourceSubnet: %s}], route: [{destination: {host: db}}]}]";
    var accepted = load(vs(route.formatted("10.1.0.0/16"))).snapshot().virtualServices().getFirst();
    assertThat(accepted.spec().tcp().getFirst().match().getFirst().sourceSubnet()).isEqualTo("10.1.0.0/16");
    assertThat(errors(vs(route.formatted("10.1.0.0/99")))).containsExactly(
        "spec.tcp[0].match[0].sourceSubnet: Invalid value: \"10.1.0.0/99\": must be an IP address or CIDR block");
  }

  @Test
  void tcpRoutesNeedDestinations() {
    assertThat(errors(vs("hosts: [db]\ntcp: [{match: [{port: 70000}]}]"))).containsExactly(
        "spec.tcp[0].match[0].port: Invalid value: 70000: port must be between 1-65535",
        "spec.tcp[0].route: TCP route is required");
  }
}
