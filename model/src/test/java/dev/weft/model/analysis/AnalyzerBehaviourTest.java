package dev.weft.model.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.model.load.ConfigLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Behaviours beyond Istio's test grid: lines, levels and the documented divergences. */
class AnalyzerBehaviourTest {
  private static final String SERVICE_AND_RULE = """
      apiVersion: v1
      kind: Service
      metadata:
        name: ratings
      spec:
        selector:
          app: ratings
        ports:
        - name: http
          port: 9080
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: ratings-v1
      spec:
        selector:
          matchLabels:
            app: ratings
        template:
          metadata:
            labels:
              app: ratings
              version: v1
      ---
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata:
        name: ratings
      spec:
        host: ratings
        subsets:
        - name: v1
          labels:
            version: v1
        - name: v2
          labels:
            version: v2
      """;

  private static List<Message> analyze(String yaml) {
    return Analysis.analyze(new ConfigLoader().loadString(yaml, "test.yaml"), "cluster.local");
  }

  @Test
  void deploymentTemplatesCountAsWorkloadsAndSpareSubsetsAreWarnings() {
    List<Message> messages = analyze(SERVICE_AND_RULE);
    assertThat(messages).singleElement().satisfies(m -> {
      assertThat(m.type()).isEqualTo(MessageType.DESTINATION_RULE_SUBSET_NOT_SELECT_PODS);
      assertThat(m.level()).isEqualTo(Level.WARNING);
      assertThat(m.text()).contains("Subset v2");
      assertThat(m.line()).isEqualTo(36);
    });
  }

  @Test
  void anEmptySubsetThatARouteTargetsIsAnError() {
    List<Message> messages = analyze(SERVICE_AND_RULE + """
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: ratings
        spec:
          hosts: [ratings]
          http:
          - route:
            - destination:
                host: ratings
                subset: v2
        """);
    assertThat(messages).filteredOn(m -> m.type() == MessageType.DESTINATION_RULE_SUBSET_NOT_SELECT_PODS)
        .singleElement().extracting(Message::level).isEqualTo(Level.ERROR);
  }

  @Test
  void messagesPointAtTheOffendingLine() {
    List<Message> messages = analyze("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: reviews
          namespace: default
        spec:
          hosts: [reviews]
          http:
          - route:
            - destination:
                host: ratings
        """);
    assertThat(messages).singleElement().hasToString(
        "Error [IST0101] (VirtualService default/reviews test.yaml:11) Referenced host not found: \"ratings\"");
  }

  @Test
  void anAnalyzerBugBecomesAnInternalErrorMessage() {
    Analyzer broken = new Analyzer() {
      @Override
      public String name() {
        return "test.Broken";
      }

      @Override
      public void analyze(AnalysisContext context) {
        throw new IllegalStateException("boom");
      }
    };
    List<Message> messages = Analysis.analyze(new ConfigLoader().loadString("", "empty.yaml"), "cluster.local",
        List.of(broken));
    assertThat(messages).singleElement().satisfies(m -> {
      assertThat(m.type()).isEqualTo(MessageType.INTERNAL_ERROR);
      assertThat(m.text()).contains("test.Broken").contains("boom");
    });
  }

  @Test
  void hostPatternsFollowIstioWildcards() {
    assertThat(HostPatterns.covers("*.example.com", "a.b.example.com")).isTrue();
    assertThat(HostPatterns.covers("*.example.com", "example.com")).isFalse();
    assertThat(HostPatterns.covers("*", "anything.org")).isTrue();
    assertThat(HostPatterns.covers("*.example.com", "*.eu.example.com")).isTrue();
    assertThat(HostPatterns.overlap("foo.com", "*.com")).isTrue();
    assertThat(AuthorizationPoliciesAnalyzer.matches("prod-*", "prod-httpbin")).isTrue();
    assertThat(AuthorizationPoliciesAnalyzer.matches("*-test", "httpbin-test")).isTrue();
    assertThat(AuthorizationPoliciesAnalyzer.matches("*", "")).isFalse();
  }

  @Test
  void exportScopesFollowIstioSyntax() {
    assertThat(ExportScope.of(List.of(), "a").visibleIn("b")).isTrue();
    assertThat(ExportScope.of(List.of("."), "a").visibleIn("b")).isFalse();
    assertThat(ExportScope.of(List.of("."), "a").visibleIn("a")).isTrue();
    assertThat(ExportScope.of(List.of("~"), "a").visibleIn("a")).isFalse();
    assertThat(ExportScope.ofAnnotation("hello1,hello2,.", "hello").visibleIn("hello")).isTrue();
    assertThat(ExportScope.of(List.of("."), "a").overlaps(ExportScope.of(List.of("*"), "b"))).isTrue();
    assertThat(ExportScope.of(List.of("."), "a").overlaps(ExportScope.of(List.of("."), "b"))).isFalse();
    assertThat(ExportScope.of(List.of("~"), "a").overlaps(ExportScope.of(List.of(), "b"))).isFalse();
  }

  /** Istio's IST0113, for PeerAuthentication: clients told to send plain text to STRICT workloads all fail. */
  @Test
  void aDestinationRuleDisablingTlsToStrictWorkloadsIsAnMtlsPolicyConflict() {
    String strictNamespace = """
        apiVersion: v1
        kind: Service
        metadata: {name: ratings, namespace: default}
        spec: {selector: {app: ratings}, ports: [{name: http, port: 9080}]}
        ---
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: default}
        spec: {mtls: {mode: STRICT}}
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: ratings, namespace: default}
        spec:
          host: ratings
          trafficPolicy:
            tls: {mode: DISABLE}
            portLevelSettings: [{port: {number: 9080}, tls: {mode: ISTIO_MUTUAL}}]
        """;
    assertThat(analyze(strictNamespace).stream().filter(m -> m.type() == MessageType.MTLS_POLICY_CONFLICT))
        .singleElement().satisfies(m -> assertThat(m.toString()).contains("test.yaml:17")
            .contains("ratings.default.svc.cluster.local").contains("\"default/ratings\"")
            .contains("specifies that mTLS must be false but the Policy object \"default/default\" specifies STRICT"));

    String workloadPermissive = strictNamespace + """
        ---
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: ratings, namespace: default}
        spec: {selector: {matchLabels: {app: ratings}}, mtls: {mode: PERMISSIVE}}
        """;
    assertThat(analyze(workloadPermissive)).noneMatch(m -> m.type() == MessageType.MTLS_POLICY_CONFLICT);
  }

  private static final String SECURE_GATEWAY = """
      apiVersion: networking.istio.io/v1
      kind: Gateway
      metadata:
        name: mygateway
      spec:
        selector:
          istio: ingressgateway
        servers:
        - port: {number: 443, name: https, protocol: HTTPS}
          tls:
            mode: SIMPLE
            credentialName: httpbin-credential
          hosts: [httpbin.example.com]
      """;

  @Test
  void aGatewayCredentialThatIsNowhereIsReferencedResourceNotFoundAtItsLine() {
    List<Message> missing = analyze(SECURE_GATEWAY);

    assertThat(missing).singleElement().hasToString("Error [IST0101] (Gateway default/mygateway test.yaml:12)"
        + " Referenced credentialName not found: \"httpbin-credential\"");
  }

  @Test
  void aGatewayCredentialIsFoundAsASecretOfTheGatewaysNamespaceOrInTheMeshsCredentials() {
    String secret = """
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: httpbin-credential
          namespace: istio-system
        type: kubernetes.io/tls
        """;

    assertThat(analyze(SECURE_GATEWAY + secret)).isEmpty();
    assertThat(analyze(SECURE_GATEWAY + secret.replace("istio-system", "elsewhere")))
        .as("a Secret in another namespace than the gateway's").hasSize(1);
    assertThat(Analysis.analyze(new ConfigLoader().loadString(SECURE_GATEWAY, "test.yaml"), "cluster.local",
        java.util.Set.of("httpbin-credential"), Analysis.analyzers())).isEmpty();
  }

  @Test
  void aServedCredentialCountsOnlyInTheGatewaysNamespaceAndANamespacedNameOnlyForThatNamespace() {
    java.util.function.BiFunction<String, java.util.Set<String>, List<Message>> analyzed = (yaml, served) ->
        Analysis.analyze(new ConfigLoader().loadString(yaml, "test.yaml"), "cluster.local", served,
            Analysis.analyzers());

    assertThat(analyzed.apply(SECURE_GATEWAY, java.util.Set.of("istio-system/httpbin-credential"))).isEmpty();
    assertThat(analyzed.apply(SECURE_GATEWAY, java.util.Set.of("shop/httpbin-credential")))
        .as("a cluster's Secret of another namespace").hasSize(1);
    String spelledOut = SECURE_GATEWAY.replace("credentialName: httpbin-credential",
        "credentialName: istio-system/httpbin-credential");
    assertThat(analyzed.apply(spelledOut, java.util.Set.of("istio-system/httpbin-credential"))).isEmpty();
    assertThat(analyzed.apply(spelledOut.replace("istio-system/", "shop/"),
        java.util.Set.of("shop/httpbin-credential")))
        .as("another namespace spelled out is never served to the gateway").singleElement()
        .hasToString("Error [IST0101] (Gateway default/mygateway test.yaml:12)"
            + " Referenced credentialName not found: \"shop/httpbin-credential\"");
  }
}
