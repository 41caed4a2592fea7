package dev.weft.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a load generator to completion within a time bound and returns what it printed. */
record ExternalCommand(List<String> argv) {

    ExternalCommand {
        argv = List.copyOf(argv);
    }

    String display() {
        return String.join(" ", argv);
    }

    String run(Duration bound) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out after " + bound + ": " + display());
            }
            return new String(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + display(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + display(), e);
        }
    }
}
