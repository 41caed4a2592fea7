package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two meshes of the same directory side by side, as {@code --address-block} promises: the second one's ingress,
 * whose port the first holds, listens on the next free port, says so, and both ingresses serve.
 */
class SideBySideTest {

  @TempDir Path firstState;
  @TempDir Path secondState;

  @Test
  void theSecondMeshsIngressGetsTheNextFreePortAndSaysSo() {
    RunningMesh first = RunningMesh.up(Weft.HTTPBIN_MESH, firstState, 20);
    try {
      Weft.Run second = Weft.run("up", Weft.HTTPBIN_MESH.toString(), "--detach", "--state-dir",
          secondState.toString(), "--address-block", "21");
      try {
        assertThat(second.exitCode()).as(second.output()).isZero();
        String firstUrl = MeshState.read(firstState).orElseThrow().ingressUrl();
        String secondUrl = MeshState.read(secondState).orElseThrow().ingressUrl();
        assertThat(secondUrl).isNotEqualTo(firstUrl);
        assertThat(second.output()).contains("is in use (another mesh?): this mesh's ingress listens on " + secondUrl)
            .contains("ingress:      " + secondUrl + "/");
        for (String url : new String[] {firstUrl, secondUrl}) {
          URI teapot = URI.create(url + "/status/418");
          HttpClient http = HttpClient.newHttpClient();
          await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> http.send(
              HttpRequest.newBuilder(teapot).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 418);
        }
      } finally {
        RunningMesh.started(secondState).down();
      }
    } finally {
      first.down();
    }
  }
}
