package dev.weft.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.model.load.ConfigLoader;
import dev.weft.model.Resource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkloadFileTest {

  private static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: reviews-v2
        namespace: shop
      spec:
        template:
          metadata:
            labels: {app: reviews, version: v2}
          spec:
            serviceAccountName: bookinfo-reviews
            containers:
            - name: reviews
              ports:
              - containerPort: 9080
      """;

  private static List<Resource<?>> deployments() {
    return new ConfigLoader().loadString(DEPLOYMENT, "bookinfo.yaml").accepted();
  }

  private static WorkloadFile.Result parse(String workloads) {
    return WorkloadFile.parse("workloads:\n" + workloads, "weft-workloads.yaml", deployments());
  }

  @Test
  void aWorkloadTakesIdentityAndPortsFromItsDeployment() {
    WorkloadFile.Result result = parse("""
        - name: reviews-v2
          deployment: reviews-v2
          main: dev.weft.examples.SampleApps
          args: [reviews]
          env: {VERSION: v2}
          health: /health
        """);
    assertThat(result.errors()).isEmpty();
    assertThat(result.workloads()).containsExactly(new WorkloadSpec("reviews-v2", "shop", "bookinfo-reviews",
        Map.of("app", "reviews", "version", "v2"), List.of(9080),
        new WorkloadSpec.JavaMain("dev.weft.examples.SampleApps", List.of("reviews")), Map.of("VERSION", "v2"),
        Optional.of("/health"), false));
  }

  @Test
  void fieldsWrittenInTheWorkloadWinOverTheDeployment() {
    WorkloadFile.Result result = parse("""
        - name: canary
          deployment: reviews-v2
          serviceAccount: canary
          labels: {version: canary}
          ports: [8080, 8081]
          command: [./run.sh, --fast]
        """);
    WorkloadSpec spec = result.workloads().getFirst();
    assertThat(spec.serviceAccount()).isEqualTo("canary");
    assertThat(spec.labels()).isEqualTo(Map.of("app", "reviews", "version", "canary"));
    assertThat(spec.ports()).containsExactly(8080, 8081);
    assertThat(spec.launch()).isEqualTo(new WorkloadSpec.Executable(List.of("./run.sh", "--fast")));
  }

  @Test
  void defaultsAreTheDefaultNamespaceAndServiceAccount() {
    WorkloadSpec spec = parse("""
        - name: worker
          command: [true]
          job: true
        """).workloads().getFirst();
    assertThat(spec.namespace()).isEqualTo("default");
    assertThat(spec.serviceAccount()).isEqualTo("default");
    assertThat(spec.job()).isTrue();
    assertThat(spec.ports()).isEmpty();
  }

  /** Istio's sleep and curl samples: a long-running client with no port of its own, no job. */
  @Test
  void aClientWithoutPortsIsAcceptedAsALongRunningWorkload() {
    WorkloadSpec spec = parse("""
        - name: sleep
          command: [/bin/sleep, infinity]
        """).workloads().getFirst();
    assertThat(spec.ports()).isEmpty();
    assertThat(spec.job()).isFalse();
  }

  @Test
  void everyProblemIsReportedWithTheWorkloadAndField() {
    WorkloadFile.Result result = parse("""
        - name: Bad_Name
          ports: [0]
          command: [x]
        - name: both
          main: a.B
          command: [x]
          ports: [80]
        - name: ghost
          deployment: nowhere
          main: a.B
          ports: [80]
        - name: typo
          comand: [x]
          command: [x]
          ports: [80]
        - name: noports
          command: [x]
          health: /ready
        - name: many
          command: [x]
          ports: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]
        - name: twice
          command: [x]
          ports: [80]
        - name: twice
          command: [x]
          ports: [81]
        """);
    assertThat(result.workloads()).isEmpty();
    assertThat(result.errors()).containsExactly(
        "weft-workloads.yaml: workload \"Bad_Name\": name must be a DNS label (lower case letters, digits and '-',"
            + " at most 63)",
        "weft-workloads.yaml: workload \"Bad_Name\": port 0 is not a port number (1-65535)",
        "weft-workloads.yaml: workload \"both\": give exactly one of \"main\" (a Java main class run on weft's"
            + " class path) or \"command\" (an executable and its arguments)",
        "weft-workloads.yaml: workload \"ghost\": deployment \"nowhere\" is not in this directory",
        "weft-workloads.yaml: workload \"typo\": unknown field \"comand\" (known: args, command, deployment, env,"
            + " health, job, labels, main, name, namespace, ports, serviceAccount)",
        "weft-workloads.yaml: workload \"noports\": health needs a port to probe (this workload has none)",
        "weft-workloads.yaml: workload \"many\": at most 15 ports (its sidecar's inbound ports are 15006-15020)",
        "weft-workloads.yaml: workload \"twice\": name is used twice in namespace default");
  }

  @Test
  void brokenYamlIsAMessageWithItsLine() {
    WorkloadFile.Result result = WorkloadFile.parse("workloads:\n  - name: [unclosed\n", "w.yaml", List.of());
    assertThat(result.workloads()).isEmpty();
    assertThat(result.errors()).singleElement().asString().startsWith("w.yaml: not valid YAML: ").contains("line");
  }

  @Test
  void aFileWithoutWorkloadsIsRejected() {
    assertThat(WorkloadFile.parse("kind: LocalWorkloads\n", "w.yaml", List.of()).errors())
        .containsExactly("w.yaml: \"workloads\" must be a non-empty list");
    assertThat(WorkloadFile.parse("- a\n", "w.yaml", List.of()).errors())
        .containsExactly("w.yaml: must be a mapping with a \"workloads\" list");
  }
}
