package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyzeCommandTest {

  static Path bookinfo() {
    String shared = System.getProperty("weft.shared.dir");
    assertThat(shared).as("system property weft.shared.dir").isNotBlank();
    Path dir = Path.of(shared, "istio/corpus/samples/bookinfo");
    assertThat(dir).as("Istio's Bookinfo sample").isDirectory();
    return dir;
  }

  /** Bookinfo as Istio's tasks deploy it: the apps, the gateway, all destination rules, all-v1 routing. */
  static String[] bookinfoDeployment(String... extra) {
    Path dir = bookinfo();
    String[] files = {
        dir.resolve("platform/kube/bookinfo.yaml").toString(),
        dir.resolve("networking/bookinfo-gateway.yaml").toString(),
        dir.resolve("networking/destination-rule-all.yaml").toString(),
        dir.resolve("networking/virtual-service-all-v1.yaml").toString()};
    String[] args = new String[extra.length + files.length + 1];
    args[0] = "analyze";
    System.arraycopy(extra, 0, args, 1, extra.length);
    System.arraycopy(files, 0, args, 1 + extra.length, files.length);
    return args;
  }

  @Test
  void bookinfoAnalyzesWithoutErrors() {
    CliRun run = CliRun.of(bookinfoDeployment());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).doesNotContain("Error [");
    // Istio's spare subsets (ratings v2-mysql, ...) select nothing and nothing routes to them.
    assertThat(run.out()).contains("Warning [IST0173] (DestinationRule default/ratings");
  }

  @Test
  void warningsFailWhenTheThresholdIsWarning() {
    CliRun run = CliRun.of(bookinfoDeployment("--fail-threshold", "Warning"));
    assertThat(run.exitCode()).isEqualTo(1);
    CliRun errorsOnly = CliRun.of(bookinfoDeployment("--output-threshold", "Error"));
    assertThat(errorsOnly.out()).startsWith("\u2714 No validation issues found");
  }

  @Test
  void eachBookinfoRoutingSampleIsCleanWithTheDestinationRules() throws IOException {
    Path dir = bookinfo();
    try (var samples = Files.list(dir.resolve("networking"))) {
      for (Path sample : samples.filter(p -> p.getFileName().toString().startsWith("virtual-service-")).sorted().toList()) {
        CliRun run = CliRun.of("analyze", dir.resolve("platform/kube/bookinfo.yaml").toString(),
            dir.resolve("platform/kube/bookinfo-ratings-v2.yaml").toString(),
            dir.resolve("networking/destination-rule-all.yaml").toString(), sample.toString());
        assertThat(run.out()).as(sample.getFileName().toString()).doesNotContain("[IST0106]", "[IST0101]");
      }
    }
  }

  @Test
  void aBrokenFileIsReportedAtItsLine(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("reviews.yaml");
    Files.writeString(file, """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: reviews
        spec:
          hosts: [reviews]
          http:
          - route:
            - destination:
                host: reviews
              weight: heavy
        """);
    CliRun run = CliRun.of("analyze", "-f", file.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("Error [IST0106] (VirtualService default/reviews " + file + ":11)")
        .contains("spec.http[0].route[0].weight");
  }

  @Test
  void malformedYamlIsReportedAtItsLine(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "apiVersion: v1\nkind: Service\nmetadata:\n  name: [unclosed\n");
    CliRun run = CliRun.of("analyze", file.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("Error [IST0106] (" + file + ":");
  }

  @Test
  void aScalarAliasBombIsRefusedWithTheDocumentLimit(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("bomb.yaml");
    Files.writeString(file, "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: bomb}\n"
        + "anchors: [&h " + "h".repeat(500_000) + "]\nspec:\n  hosts: [" + "*h, ".repeat(100_000) + "*h]\n");
    CliRun run = CliRun.of("analyze", file.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("Error [IST0106] (" + file + ":1)")
        .contains("document too large: aliases expand it past 1572864 characters (at spec.hosts[3])");
  }

  @Test
  void jsonOutputCarriesCodesAndLocations(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("vs.yaml");
    Files.writeString(file, """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: reviews
          namespace: team
        spec:
          hosts: [reviews]
          gateways: [missing-gateway]
          http:
          - route:
            - destination:
                host: reviews
        """);
    CliRun run = CliRun.of("analyze", "-A", "-o", "json", file.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    JsonNode messages = new ObjectMapper().readTree(run.out());
    assertThat(messages.findValuesAsText("code")).contains("IST0101", "IST0132");
    JsonNode gatewayMissing = messages.get(0);
    assertThat(gatewayMissing.get("origin").asText()).isEqualTo("VirtualService team/reviews");
    assertThat(gatewayMissing.get("line").asInt()).isPositive();
  }

  @Test
  void namespaceSelectsWhatIsReported(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("vs.yaml");
    Files.writeString(file, """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: reviews
          namespace: team
        spec:
          hosts: [reviews]
          http:
          - route:
            - destination:
                host: nowhere
        """);
    assertThat(CliRun.of("analyze", file.toString()).exitCode()).isZero();
    assertThat(CliRun.of("analyze", "-n", "team", file.toString()).exitCode()).isEqualTo(1);
    assertThat(CliRun.of("analyze", "-A", "-o", "yaml", file.toString()).out()).contains("code: \"IST0101\"");
  }

  @Test
  void resourcesAllInAnotherNamespaceAreSaidToBeUnreported(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("retail.yaml"), """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: reviews
          namespace: retail
        spec:
          hosts: [reviews]
          http:
          - route:
            - destination: {host: reviews}
              weight: -1
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: reviews
          namespace: retail
        spec:
          ports: [{name: http, port: 9080}]
        """);

    CliRun run = CliRun.of("analyze", "-f", file.toString());
    CliRun json = CliRun.of("analyze", "-o", "json", "-f", file.toString());

    assertThat(run.out()).isEqualTo("2 resources in namespace retail were not reported, with 1 message; use -A or -n"
        + " retail\n");
    assertThat(json.out()).isEqualTo("[ ]\n");
    assertThat(json.err()).startsWith("2 resources in namespace retail were not reported");
    assertThat(CliRun.of("analyze", "-n", "retail", "-f", file.toString()).out()).contains("[IST0106]")
        .doesNotContain("not reported");
  }

  @Test
  void aMeshDirectoryIsReadAsWeftUpReadsIt(@TempDir Path dir) throws IOException {
    Files.copy(Path.of("..", "examples", "bookinfo", "mesh", "weft-workloads.yaml"), dir.resolve("weft-workloads.yaml"));
    Path later = Files.createDirectories(dir.resolve("networking")).resolve("broken.yaml");
    Files.writeString(later, """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: reviews
        spec:
          hosts: [reviews]
          http:
          - route:
            - destination: {host: reviews}
              weight: -1
        """);

    CliRun run = CliRun.of("analyze", "-f", dir.toString());
    CliRun recursive = CliRun.of("analyze", "-R", "-f", dir.toString());

    assertThat(run.exitCode()).as(run.out()).isZero();
    assertThat(run.out()).as("weft's own file is no Istio input, the files to apply later are not read")
        .isEqualTo("\u2714 No validation issues found when analyzing namespace: default.\n");
    assertThat(recursive.exitCode()).isEqualTo(1);
    assertThat(recursive.out()).doesNotContain("weft-workloads.yaml").contains("[IST0106] (VirtualService"
        + " default/reviews " + later + ":10)");
  }

  @Test
  void aGatewayCredentialIsLookedForInTheMeshDirectorysCredentials(@TempDir Path dir) throws IOException {
    Path gateway = Files.writeString(dir.resolve("gateway.yaml"), """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata:
          name: mygateway
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 443, name: https, protocol: HTTPS}
            tls: {mode: SIMPLE, credentialName: httpbin-credential}
            hosts: [httpbin.example.com]
        """);

    CliRun missing = CliRun.of("analyze", dir.toString());
    Files.createDirectories(dir.resolve("credentials/httpbin-credential"));
    CliRun found = CliRun.of("analyze", dir.toString());

    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.out()).isEqualTo("Error [IST0101] (Gateway default/mygateway " + gateway + ":9) Referenced"
        + " credentialName not found: \"httpbin-credential\"\n");
    assertThat(found.exitCode()).as(found.out()).isZero();
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertThat(CliRun.of("analyze").exitCode()).isEqualTo(2);
    assertThat(CliRun.of("analyze", "/no/such/file.yaml").err()).contains("no such file or directory");
    assertThat(CliRun.of("analyze", "/no/such/file.yaml").exitCode()).isEqualTo(2);
    assertThat(CliRun.of("analyze", "--fail-threshold", "Fatal", "x.yaml").exitCode()).isEqualTo(2);
  }

  @Test
  void listsAnalyzers() {
    CliRun run = CliRun.of("analyze", "-L");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("virtualservice.DestinationHostAnalyzer", "gateway.ConflictingGatewayAnalyzer");
  }

  @Test
  void aMeshDirectorysMeshConfigIsCheckedNotLoadedAsAResource(@TempDir Path dir) throws IOException {
    CliRun example = CliRun.of("analyze", "--output-threshold", "Error", Path.of("..", "examples", "extauthz", "mesh")
        .toString());
    assertThat(example.exitCode()).as(example.out() + example.err()).isZero();

    Path meshConfig = Files.writeString(dir.resolve("meshconfig.yaml"), "outboundTrafficPolicy:\n  mode: NONE\n");
    for (String input : new String[] {dir.toString(), meshConfig.toString()}) {
      CliRun run = CliRun.of("analyze", input);
      assertThat(run.exitCode()).as(run.out()).isEqualTo(1);
      assertThat(run.out()).contains("Error [IST0106] (MeshConfig " + meshConfig + ":2)")
          .contains("outboundTrafficPolicy.mode: Unsupported value: \"NONE\"");
    }
  }
}
