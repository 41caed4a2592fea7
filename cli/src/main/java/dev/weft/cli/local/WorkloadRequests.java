package dev.weft.cli.local;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * How {@code weft apply -f weft-workloads.yaml}, {@code weft delete} and a second {@code weft up DIR} ask the running
 * {@code weft up} to change the mesh's workloads: a request file in the state directory, which the runtime takes, acts
 * on and answers with a result file carrying the request's id. Each file is replaced atomically, so neither side reads
 * half of one.
 */
public final class WorkloadRequests {

  /**
   * What to change. {@code delete} false: {@code text} (a {@code weft-workloads.yaml}) becomes the mesh's whole
   * workload list; true: the workloads it names are removed. {@code source} names the file in messages.
   */
  public record Request(String id, boolean delete, String source, String text) {}

  /** What was done ({@code lines}, as {@code workload default/x created}) or why nothing was ({@code errors}). */
  public record Result(String id, List<String> lines, List<String> errors) {
    public Result {
      lines = List.copyOf(lines);
      errors = List.copyOf(errors);
    }
  }

  /** The requests' directory in the state directory. */
  static final String DIRECTORY = "requests";
  private static final Duration POLL = Duration.ofMillis(100);
  private final ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private final Path directory;

  public WorkloadRequests(StateStore store) {
    this.directory = store.directory().resolve(DIRECTORY);
  }

  /** Leaves a request for the runtime and waits for its answer, at most {@code timeout}. */
  public Optional<Result> submit(boolean delete, String source, String text, Duration timeout, Clock clock) {
    Request request = new Request(UUID.randomUUID().toString(), delete, source, text);
    write(requestFile(), request);
    Instant until = clock.instant().plus(timeout);
    while (clock.instant().isBefore(until)) {
      Optional<Result> result = read(resultFile(), Result.class).filter(r -> r.id().equals(request.id()));
      if (result.isPresent()) {
        return result;
      }
      LockSupport.parkNanos(POLL.toNanos());
    }
    return Optional.empty();
  }

  /** The runtime's side: the waiting request, if any, removed from the directory. */
  Optional<Request> take() {
    Optional<Request> request = read(requestFile(), Request.class);
    request.ifPresent(r -> {
      try {
        Files.deleteIfExists(requestFile());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot take " + requestFile() + ": " + e.getMessage(), e);
      }
    });
    return request;
  }

  /** The runtime's side: the answer to a request taken. */
  void answer(Result result) {
    write(resultFile(), result);
  }

  private Path requestFile() {
    return directory.resolve("workloads.json");
  }

  private Path resultFile() {
    return directory.resolve("workloads-result.json");
  }

  private <T> Optional<T> read(Path file, Class<T> type) {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(json.readValue(file.toFile(), type));
    } catch (IOException e) {
      // Gone between the check and the read: taken by the other side.
      return Optional.empty();
    }
  }

  private void write(Path file, Object value) {
    try {
      Files.createDirectories(directory);
      Path temp = Files.createTempFile(directory, file.getFileName().toString(), ".tmp");
      json.writeValue(temp.toFile(), value);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
