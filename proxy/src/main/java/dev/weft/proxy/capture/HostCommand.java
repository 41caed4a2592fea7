package dev.weft.proxy.capture;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a system tool ({@code ip}, {@code iptables-restore}) to completion and keeps what it printed: the capture
 * rules here, and the local runtime's network namespaces in the CLI.
 */
public final class HostCommand {

    private static final long TIMEOUT_SECONDS = 30;
    private static final List<Path> SYSTEM_DIRS = List.of(Path.of("/usr/sbin"), Path.of("/sbin"),
            Path.of("/usr/bin"), Path.of("/bin"));

    /** How a command ended: its exit status and its output, stdout and stderr together. */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private HostCommand() {
    }

    public static Result run(List<String> command) {
        return run(command, "");
    }

    /** Runs {@code command} with {@code input} on its stdin; a tool that cannot start is exit status 127. */
    public static Result run(List<String> command, String input) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(124, String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), output.strip());
        } catch (IOException e) {
            return new Result(127, "cannot run " + command.getFirst() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(130, "interrupted while running " + command.getFirst());
        }
    }

    /** A tool on PATH or in the usual system directories (root's sbin is often not on a user's PATH). */
    public static Optional<Path> find(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.concat(Arrays.stream(path.split(":")).filter(d -> !d.isEmpty()).map(Path::of),
                        SYSTEM_DIRS.stream())
                .map(dir -> dir.resolve(tool)).filter(Files::isExecutable).findFirst();
    }
}
