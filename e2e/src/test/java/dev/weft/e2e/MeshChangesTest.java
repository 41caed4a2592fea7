package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mesh that changes while it runs, as a cluster does: started from a directory with httpbin alone and no Gateway,
 * a Gateway applied with {@code weft apply} starts the ingress gateway and deleting it stops it; a workload file
 * applied with {@code weft apply} starts a client-only workload (Istio's sleep: long-running, no port, no
 * {@code job}) that calls httpbin by name through its sidecar, and applying the old file stops it again; and
 * {@code weft up DIR} of the changed directory adds the curl workload to the running mesh.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MeshChangesTest {
  private static final Duration CHANGE = Duration.ofSeconds(60);
  private static final String HTTPBIN_ONLY = """
      apiVersion: weft.dev/v1alpha1
      kind: LocalWorkloads
      workloads:
      - name: httpbin
        deployment: httpbin
        main: dev.weft.examples.SampleApps
        args: [httpbin]
        health: /health
      """;
  /** Istio's sleep sample in spirit: a shell loop calling httpbin by name, through HTTP_PROXY (its sidecar). */
  private static final String SLEEP = """
      - name: sleep
        command: [/bin/sh, -c, "while true; do curl -s -o /dev/null -w '%{http_code}\\\\n' http://httpbin:8000/status/200; sleep 0.5; done"]
      """;
  private static final String CURL = """
      - name: curl
        serviceAccount: curl
        labels: {app: curl}
        ports: [8080]
        main: dev.weft.examples.SampleApps
        args: [curl]
        health: /health
      """;

  @TempDir static Path stateDir;
  @TempDir static Path meshDir;
  @TempDir static Path work;
  private RunningMesh mesh;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeAll
  void up() throws IOException {
    Files.copy(Weft.HTTPBIN_MESH.resolve("httpbin.yaml"), meshDir.resolve("httpbin.yaml"));
    Files.writeString(meshDir.resolve("weft-workloads.yaml"), HTTPBIN_ONLY);
    mesh = RunningMesh.up(meshDir, stateDir, 19);
  }

  @AfterAll
  void down() {
    mesh.down();
  }

  private MeshState state() {
    return MeshState.read(stateDir).orElseThrow();
  }

  private boolean hasGateway() {
    return state().processes().stream().anyMatch(p -> p.role().equals("GATEWAY") && p.live().isPresent());
  }

  @Test
  @Order(1)
  void aGatewayAppliedStartsTheIngressGatewayAndDeletingItStopsIt() throws Exception {
    assertThat(hasGateway()).as("no Gateway in the directory: no gateway process").isFalse();
    assertThat(state().ingressUrl()).isEmpty();

    mesh.apply(Weft.HTTPBIN_MESH.resolve("httpbin-gateway.yaml"));
    await().atMost(CHANGE).until(() -> hasGateway() && !state().ingressUrl().isEmpty());
    URI ingress = URI.create(state().ingressUrl()).resolve("/status/418");
    await().atMost(CHANGE).ignoreExceptions().until(() -> http.send(HttpRequest.newBuilder(ingress).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode() == 418);
    assertThat(http.send(HttpRequest.newBuilder(ingress).build(), HttpResponse.BodyHandlers.discarding()).headers()
        .firstValue("server")).as("Istio's server header").contains("istio-envoy");
    assertThat(Weft.run("status", "--state-dir", stateDir.toString()).output()).contains("istio-ingressgateway")
        .contains("ingress " + state().ingressUrl());
    MeshState.Proc gateway = state().processes().stream().filter(p -> p.role().equals("GATEWAY")).findFirst()
        .orElseThrow();

    mesh.delete(Weft.HTTPBIN_MESH.resolve("httpbin-gateway.yaml"));
    await().atMost(CHANGE).until(() -> !hasGateway() && state().ingressUrl().isEmpty());
    assertThat(ProcessHandle.of(gateway.pid()).filter(ProcessHandle::isAlive)).as("the gateway process").isEmpty();
    await().atMost(CHANGE).until(() -> refused(ingress));
  }

  @Test
  @Order(2)
  void aClientOnlyWorkloadAppliedAtRunTimeStartsAndStops() throws IOException {
    Path withSleep = Files.createDirectories(work.resolve("with-sleep")).resolve("weft-workloads.yaml");
    Files.writeString(withSleep, HTTPBIN_ONLY + SLEEP);
    Weft.Run applied = Weft.run("apply", "-f", withSleep.toString(), "--state-dir", stateDir.toString());
    assertThat(applied.exitCode()).as(applied.output()).isZero();
    assertThat(applied.output()).contains("workload default/httpbin unchanged")
        .contains("workload default/sleep created");
    MeshState.Proc sleep = state().process("sleep");
    MeshState.Proc sidecar = state().process("sleep.proxy");
    assertThat(sleep.live()).isPresent();
    assertThat(sidecar.live()).isPresent();
    await().atMost(CHANGE).until(() -> Files.readString(mesh.log("sleep")).contains("200"));

    Path original = Files.createDirectories(work.resolve("original")).resolve("weft-workloads.yaml");
    Files.writeString(original, HTTPBIN_ONLY);
    Weft.Run removed = Weft.run("apply", "-f", original.toString(), "--state-dir", stateDir.toString());
    assertThat(removed.exitCode()).as(removed.output()).isZero();
    assertThat(removed.output()).contains("workload default/sleep deleted");
    await().atMost(CHANGE).until(() -> ProcessHandle.of(sleep.pid()).filter(ProcessHandle::isAlive).isEmpty()
        && ProcessHandle.of(sidecar.pid()).filter(ProcessHandle::isAlive).isEmpty());
    assertThat(state().processes()).noneMatch(p -> p.workload().equals("sleep"));
    assertThat(state().process("httpbin").live()).as("the others keep running").isPresent();
  }

  @Test
  @Order(3)
  void weftUpOfTheChangedDirectoryUpdatesTheRunningMesh() throws IOException {
    Files.copy(Weft.HTTPBIN_MESH.resolve("curl.yaml"), meshDir.resolve("curl.yaml"));
    Files.writeString(meshDir.resolve("weft-workloads.yaml"), HTTPBIN_ONLY + CURL);
    Weft.Run up = Weft.run("up", meshDir.toString(), "--detach", "--state-dir", stateDir.toString(),
        "--address-block", "19");
    assertThat(up.exitCode()).as(up.output()).isZero();
    assertThat(up.output()).contains("updating it").contains("workload default/curl created");
    MeshClient curl = new MeshClient(RunningMesh.started(stateDir).app("curl"));
    await().atMost(CHANGE).until(() -> curl.fetch("http://httpbin:8000/status/200").status() == 200);
  }

  private static boolean refused(URI url) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 1000);
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
