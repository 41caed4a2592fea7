package dev.weft.model.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.model.ConfigError;
import dev.weft.model.ResourceKey;
import dev.weft.model.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every class of bad input becomes one precise error value with a line, never an exception. */
class HostileInputTest {
  private final ConfigLoader loader = new ConfigLoader();

  private static LoadLimits limits(long file, int documents, int depth, int aliases, int nodes) {
    return new LoadLimits(file, documents, depth, aliases, nodes, LoadLimits.KUBERNETES_OBJECT_LIMIT,
        LoadLimits.KUBERNETES_VALUE_LIMIT);
  }

  private static ConfigError onlyError(LoadResult result) {
    assertThat(result.errors()).filteredOn(ConfigError::isError).hasSize(1);
    return result.errors().stream().filter(ConfigError::isError).findFirst().orElseThrow();
  }

  @Test
  void malformedYamlNamesTheLine() {
    LoadResult result = loader.loadString("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: broken
        spec:
          hosts: [reviews
          http: []
        """, "broken.yaml");

    ConfigError error = onlyError(result);
    assertThat(error.file()).isEqualTo("broken.yaml");
    assertThat(error.line()).isEqualTo(7);
    assertThat(error.message()).startsWith("malformed YAML: ");
    assertThat(result.resources()).isEmpty();
  }

  @Test
  void documentsBeforeAMalformedOneStillLoad() {
    LoadResult result = loader.loadString("""
        apiVersion: v1
        kind: Namespace
        metadata: {name: shop}
        ---
        key: "unterminated
        """, "two.yaml");

    assertThat(result.resources()).hasSize(1);
    assertThat(onlyError(result).message()).contains("malformed YAML");
  }

  @Test
  void wrongTypeUsesKubernetesWording() {
    ConfigError error = onlyError(loader.loadString("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: reviews
        spec:
          hosts: reviews
          http:
          - route:
            - destination: {host: reviews}
        """, "types.yaml"));

    assertThat(error.toString()).isEqualTo("types.yaml:6: VirtualService default/reviews: spec.hosts: Invalid value:"
        + " \"string\": spec.hosts in body must be of type array: \"string\"");
  }

  @Test
  void wrongScalarTypeIsReportedAtItsLine() {
    LoadResult result = loader.loadString("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews}
        spec:
          hosts: [reviews]
          http:
          - route:
            - destination: {host: reviews}
              weight: heavy
        """, "types.yaml");

    ConfigError error = onlyError(result);
    assertThat(error.line()).isEqualTo(9);
    assertThat(error.path()).isEqualTo("spec.http[0].route[0].weight");
    assertThat(error.message()).contains("must be of type integer");
    assertThat(result.accepted()).isEmpty();
  }

  @Test
  void unknownIstioKindIsAnError() {
    ConfigError error = onlyError(loader.loadString("""
        apiVersion: networking.istio.io/v1
        kind: VirtualSwitch
        metadata: {name: x}
        spec: {}
        """, "kind.yaml"));

    assertThat(error.line()).isEqualTo(1);
    assertThat(error.detail()).isEqualTo("kind: unknown kind \"VirtualSwitch\" in apiVersion \"networking.istio.io/v1\"");
  }

  @Test
  void unknownVersionOfAKnownKindIsAnError() {
    ConfigError error = onlyError(loader.loadString("""
        apiVersion: networking.istio.io/v2
        kind: Gateway
        metadata: {name: x}
        spec: {}
        """, "version.yaml"));

    assertThat(error.message()).startsWith("no matches for kind \"Gateway\" in version \"networking.istio.io/v2\"");
  }

  @Test
  void kubernetesKindsTheMeshDoesNotUseAreIgnoredWithAWarning() {
    LoadResult result = loader.loadString("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        data: {a: b}
        """, "cm.yaml");

    assertThat(result.hasErrors()).isFalse();
    assertThat(result.errors()).singleElement()
        .satisfies(warning -> assertThat(warning.severity()).isEqualTo(Severity.WARNING))
        .satisfies(warning -> assertThat(warning.message()).contains("ConfigMap").contains("ignored"));
  }

  @Test
  void istioKindsWeftDoesNotImplementAreIgnoredWithAWarning() {
    LoadResult result = loader.loadString("""
        apiVersion: networking.istio.io/v1alpha3
        kind: EnvoyFilter
        metadata: {name: lua}
        spec: {configPatches: []}
        """, "ef.yaml");

    assertThat(result.hasErrors()).isFalse();
    assertThat(result.errors()).singleElement().extracting(ConfigError::message).asString()
        .isEqualTo("kind \"EnvoyFilter\" (networking.istio.io/v1alpha3) is not used by Weft: ignored");
  }

  @Test
  void unknownFieldOfIstioKindIsAnErrorButKubernetesFieldsAreIgnored() {
    LoadResult result = loader.loadString("""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews, uid: "1234", resourceVersion: "7"}
        spec:
          host: reviews
          trafficPolicy:
            loadBalancer:
              simpel: ROUND_ROBIN
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: reviews}
        spec:
          ports: [{port: 9080, name: http}]
          sessionAffinity: None
        """, "fields.yaml");

    ConfigError error = onlyError(result);
    assertThat(error.line()).isEqualTo(8);
    assertThat(error.detail()).isEqualTo("spec.trafficPolicy.loadBalancer.simpel: unknown field \"simpel\"");
    assertThat(result.accepted()).extracting(r -> r.kind().kindName()).containsExactly("Service");
  }

  @Test
  void unknownTopLevelFieldOfIstioKindIsAnError() {
    ConfigError error = onlyError(loader.loadString("""
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default}
        specs: {}
        """, "top.yaml"));

    assertThat(error.detail()).isEqualTo("specs: unknown field \"specs\"");
    assertThat(error.line()).isEqualTo(4);
  }

  @Test
  void duplicateKeyNamesBothLines() {
    ConfigError error = onlyError(loader.loadString("""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews}
        spec:
          host: reviews
          host: ratings
        """, "dup.yaml"));

    assertThat(error.line()).isEqualTo(6);
    assertThat(error.detail()).isEqualTo("spec.host: duplicate field \"host\" (first set at line 5)");
  }

  @Test
  void duplicateMapKeyIsAnError() {
    ConfigError error = onlyError(loader.loadString("""
        apiVersion: v1
        kind: Service
        metadata:
          name: reviews
          labels:
            app: reviews
            app: ratings
        """, "dup.yaml"));

    assertThat(error.line()).isEqualTo(7);
    assertThat(error.path()).isEqualTo("metadata.labels[app]");
  }

  @Test
  void duplicateKeyOfARootLevelKindIsReportedOnce() {
    ConfigError error = onlyError(loader.loadString("""
        apiVersion: v1
        kind: Secret
        metadata: {name: cert}
        type: Opaque
        type: kubernetes.io/tls
        """, "dup.yaml"));

    assertThat(error.detail()).isEqualTo("type: duplicate field \"type\" (first set at line 4)");
    assertThat(error.line()).isEqualTo(5);
  }

  @Test
  void oversizedStringIsRejectedBeforeParsing() {
    ConfigLoader small = new ConfigLoader(LoadOptions.defaults()
        .withLimits(limits(64, 10, 64, 10, 1000)));

    ConfigError error = onlyError(small.loadString("a: " + "x".repeat(100), "big.yaml"));

    assertThat(error.message()).isEqualTo("input too large: 103 bytes, the limit is 64 bytes");
    assertThat(error.line()).isEqualTo(1);
  }

  @Test
  void oversizedFileIsRejectedWithoutReadingIt(@TempDir Path dir) throws IOException {
    Path big = dir.resolve("big.yaml");
    Files.writeString(big, "# " + "x".repeat(200));
    ConfigLoader small = new ConfigLoader(LoadOptions.defaults()
        .withLimits(limits(100, 10, 64, 10, 1000)));

    ConfigError error = onlyError(small.load(big));

    assertThat(error.file()).isEqualTo(big.toString());
    assertThat(error.message()).startsWith("input too large: 202 bytes");
  }

  @Test
  void tooManyDocumentsStopsTheStream() {
    ConfigLoader small = new ConfigLoader(LoadOptions.defaults()
        .withLimits(limits(1 << 20, 3, 64, 10, 1000)));
    String namespace = "apiVersion: v1\nkind: Namespace\nmetadata: {name: ns%d}\n---\n";

    LoadResult result = small.loadString(
        String.format(namespace.repeat(5), 1, 2, 3, 4, 5), "many.yaml");

    assertThat(result.resources()).hasSize(3);
    assertThat(onlyError(result).message()).isEqualTo("too many documents: the limit is 3 in one file or apply");
  }

  @Test
  void deepNestingIsRejected() {
    ConfigError error = onlyError(loader.loadString(
        "a: " + "[".repeat(100) + "]".repeat(100) + "\n", "deep.yaml"));

    assertThat(error.message()).contains("Nesting Depth exceeded");
    assertThat(error.line()).isEqualTo(1);
  }

  @Test
  void billionLaughsIsStoppedByTheAliasLimit() {
    StringBuilder bomb = new StringBuilder("apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n");
    bomb.append("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int level = 1; level <= 12; level++) {
      bomb.append("l").append(level).append(": &l").append(level).append(" [")
          .append(String.join(", ", Collections.nCopies(9, "*l" + (level - 1)))).append("]\n");
    }

    ConfigError error = onlyError(loader.loadString(bomb.toString(), "bomb.yaml"));

    assertThat(error.message()).contains("aliases").contains("100");
    assertThat(error.line()).isBetween(15, 16);
  }

  @Test
  void aliasExpansionWithinTheSchemaIsBoundedByTheNodeBudget() {
    ConfigLoader small = new ConfigLoader(LoadOptions.defaults()
        .withLimits(limits(1 << 20, 10, 64, 100, 1_000)));
    String nine = "[" + "%s, ".repeat(8) + "%s]";
    String bomb = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: bomb}
        anchors:
          s: &s {exact: x}
          m: &m {headers: {h1: *s, h2: *s, h3: *s, h4: *s, h5: *s, h6: *s, h7: *s, h8: *s, h9: *s}}
          d: &d {destination: {host: a}, headers: {request: {set: {a: b, c: d, e: f, g: h, i: j}}}}
          r: &r {match: MATCHES, route: ROUTES}
        spec:
          hosts: [a]
          http: HTTP
        """.replace("MATCHES", nine.formatted((Object[]) "*m *m *m *m *m *m *m *m *m".split(" ")))
        .replace("ROUTES", nine.formatted((Object[]) "*d *d *d *d *d *d *d *d *d".split(" ")))
        .replace("HTTP", nine.formatted((Object[]) "*r *r *r *r *r *r *r *r *r".split(" ")));

    LoadResult result = small.loadString(bomb, "bomb.yaml");

    assertThat(result.errors()).filteredOn(ConfigError::isError)
        .anySatisfy(error -> assertThat(error.message()).startsWith("document expands to too many nodes"));
    assertThat(result.resources()).isEmpty();
  }

  /** A 1 MB file: a 500 KB host aliased 1,000 times was 500 MB of FQDN strings (OutOfMemoryError in toFqdn). */
  @Test
  void aScalarAliasBombIsStoppedByTheDocumentSizeBeforeItIsCopied() {
    String bomb = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: bomb}\n"
        + "anchors: [&h " + "h".repeat(500_000) + "]\nspec:\n  hosts: [" + "*h, ".repeat(1_000) + "*h]\n"
        + "  http: [{route: [{destination: {host: *h}}]}]\n";

    LoadResult result = loader.loadString(bomb, "bomb.yaml");

    assertThat(bomb.length()).isLessThan(LoadLimits.KUBERNETES_OBJECT_LIMIT);
    ConfigError error = result.errors().getLast();
    assertThat(error.message()).isEqualTo(
        "document too large: aliases expand it past 1572864 characters (at spec.hosts[3])");
    assertThat(error.line()).isEqualTo(1);
    assertThat(result.resources()).isEmpty();
  }

  @Test
  void aDocumentIsAtMostKubernetesObjectLimitLong() {
    String head = "apiVersion: v1\nkind: Namespace\nmetadata: {name: n}\npadding: ";
    String atLimit = head + "x".repeat(LoadLimits.KUBERNETES_OBJECT_LIMIT - head.length() - 1) + "\n";
    String small = "apiVersion: v1\nkind: Namespace\nmetadata: {name: m}\n";

    assertThat(atLimit).hasSize(LoadLimits.KUBERNETES_OBJECT_LIMIT);
    assertThat(loader.loadString(atLimit + "---\n" + small, "big.yaml").errors()).isEmpty();
    LoadResult over = loader.loadString(small + "---\n" + atLimit.replace("padding: ", "padding: x"), "big.yaml");
    assertThat(over.resources()).hasSize(1);
    ConfigError error = onlyError(over);
    assertThat(error.message()).isEqualTo(
        "document too large: more than 1572864 characters (Kubernetes keeps objects of at most 1.5 MiB)");
    assertThat(error.line()).isEqualTo(4);
  }

  @Test
  void aFieldIsAtMostOneMebibyteAndItsErrorDoesNotEchoIt() {
    String secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {blob: %s}\n";

    assertThat(loader.loadString(secret.formatted("x".repeat(LoadLimits.KUBERNETES_VALUE_LIMIT)), "s.yaml").errors())
        .isEmpty();
    ConfigError error = onlyError(loader.loadString(
        secret.formatted("x".repeat(LoadLimits.KUBERNETES_VALUE_LIMIT + 1)), "s.yaml"));
    assertThat(error.toString()).isEqualTo(
        "s.yaml:4: Secret default/s: data[blob]: Too long: may not be more than 1048576 characters (has 1048577)");
  }

  @Test
  void deletingReadsOnlyKindAndMetadata() {
    LoadedKeys keys = loader.loadKeys("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews, namespace: shop}
        spec: {hosts: 7, unknown: [1, 2]}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: shop}
        """, "delete.yaml");

    assertThat(keys.errors()).isEmpty();
    assertThat(keys.keys()).extracting(ResourceKey::displayName)
        .containsExactly("VirtualService shop/reviews", "Namespace shop");
    assertThat(loader.loadKeys("apiVersion: v1\nkind: Namespace\nmetadata: {}\n", "d.yaml").errors())
        .singleElement().extracting(ConfigError::detail).asString().startsWith("metadata.name: Required value");
  }

  @Test
  void tenThousandBadDocumentsKeepAThousandFindings() {
    String bad = "apiVersion: networking.istio.io/v1\nkind: VirtualSwitch\nmetadata: {name: x}\n";

    LoadResult result = loader.loadString(String.join("---\n", Collections.nCopies(10_000, bad)), "bad.yaml");

    assertThat(result.errors()).hasSize(1_001);
    assertThat(result.errors().getLast().message()).isEqualTo("9000 more problems not shown (at most 1000 are)");
    assertThat(result.hasErrors()).isTrue();
  }

  @Test
  void thousandsOfBadKeysStopAfterAScreenful() {
    StringBuilder yaml = new StringBuilder("apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\n"
        + "metadata: {name: noisy}\nspec:\n");
    for (int i = 0; i < 20_000; i++) {
      yaml.append("  k").append(i).append(": 1\n");
    }

    LoadResult result = loader.loadString(yaml.toString(), "noisy.yaml");

    assertThat(result.errors()).hasSize(Binder.MAX_PROBLEMS + 1);
    assertThat(result.errors().getFirst().detail()).isEqualTo("spec.k0: unknown field \"k0\"");
    assertThat(result.errors().getFirst().line()).isEqualTo(5);
    assertThat(result.errors().getLast().message()).isEqualTo("too many problems in this document: stopped after 100");
  }

  @Test
  void validationFindingsAreCappedToo() {
    StringBuilder yaml = new StringBuilder("apiVersion: networking.istio.io/v1\nkind: ServiceEntry\n"
        + "metadata: {name: noisy}\nspec:\n  hosts: [a.com]\n  addresses:\n");
    for (int i = 0; i < 250; i++) {
      yaml.append("  - not-an-ip-").append(i).append('\n');
    }

    LoadResult result = loader.loadString(yaml.toString(), "noisy.yaml");

    assertThat(result.errors()).hasSize(101);
    assertThat(result.errors().getLast().message()).isEqualTo("too many problems in this resource: stopped after 100");
  }

  @Test
  void invalidUtf8FileIsAnError(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("latin1.yaml");
    Files.write(file, new byte[] {'a', ':', ' ', (byte) 0xE9, '\n'});

    assertThat(onlyError(loader.load(file)).message()).isEqualTo("file is not valid UTF-8");
  }

  @Test
  void documentThatIsNotAMappingIsAnError() {
    ConfigError error = onlyError(loader.loadString("- just\n- a list\n", "list.yaml"));

    assertThat(error.message()).startsWith("document must be a mapping");
  }

  @Test
  void missingKindOrNameIsAnError() {
    assertThat(onlyError(loader.loadString("apiVersion: v1\nmetadata: {name: x}\n", "a.yaml")).detail())
        .isEqualTo("kind: Required value");
    assertThat(onlyError(loader.loadString("apiVersion: v1\nkind: Namespace\nmetadata: {}\n", "a.yaml")).detail())
        .startsWith("metadata.name: Required value");
  }

  @Test
  void missingFileIsAnErrorNotAnException() {
    ConfigError error = onlyError(loader.load(Path.of("does/not/exist.yaml")));

    assertThat(error.message()).startsWith("cannot read file");
  }
}
