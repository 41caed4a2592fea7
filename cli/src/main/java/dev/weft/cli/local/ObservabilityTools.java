package dev.weft.cli.local;

import dev.weft.proxy.capture.HostCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The programs {@code --with-observability} runs beside the mesh: this machine's {@code prometheus} and the Zipkin
 * server's executable jar from the local Maven repository, fetched there with the repository's own Maven wrapper
 * when it is missing (Maven's configured repositories decide where from).
 */
public record ObservabilityTools(Path prometheus, Path zipkinJar) {

  static final String ZIPKIN_VERSION = "3.6.1";
  static final String ZIPKIN_ARTIFACT = "io.zipkin:zipkin-server:" + ZIPKIN_VERSION + ":jar:exec";

  /** Finds both, fetching Zipkin with {@code home/mvnw} if needed; a missing one is a one-line StartException. */
  public static ObservabilityTools locate(Path home, Consumer<String> progress) throws StartException {
    Path prometheus = HostCommand.find("prometheus").orElseThrow(() -> new StartException(
        "--with-observability needs Prometheus, and no prometheus program is on PATH: install Debian's prometheus"
            + " package"));
    Path jar = mavenRepositoryJar();
    if (!Files.isRegularFile(jar)) {
      Path mvnw = home.resolve("mvnw");
      if (!Files.isExecutable(mvnw)) {
        throw new StartException("--with-observability needs the Zipkin server jar " + jar + ", and there is no"
            + " Maven wrapper at " + mvnw + " to fetch it: run weft from the repository");
      }
      progress.accept("fetching the Zipkin server (" + ZIPKIN_ARTIFACT + ") with " + mvnw);
      HostCommand.Result fetched = HostCommand.run(List.of(mvnw.toString(), "-q", "-B", "-f",
          home.resolve("pom.xml").toString(), "dependency:get", "-Dartifact=" + ZIPKIN_ARTIFACT));
      if (!fetched.ok() || !Files.isRegularFile(jar)) {
        throw new StartException("--with-observability needs the Zipkin server jar " + jar + ", and ./mvnw"
            + " dependency:get -Dartifact=" + ZIPKIN_ARTIFACT + " did not fetch it: " + lastLine(fetched.output()));
      }
    }
    return new ObservabilityTools(prometheus, jar);
  }

  /** Where Maven keeps the jar: {@code maven.repo.local}, else {@code ~/.m2/repository}. */
  static Path mavenRepositoryJar() {
    String repository = System.getProperty("maven.repo.local",
        Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
    return Path.of(repository, "io", "zipkin", "zipkin-server", ZIPKIN_VERSION,
        "zipkin-server-" + ZIPKIN_VERSION + "-exec.jar");
  }

  private static String lastLine(String output) {
    List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
    return lines.isEmpty() ? "(no output)" : lines.getLast().strip();
  }
}
