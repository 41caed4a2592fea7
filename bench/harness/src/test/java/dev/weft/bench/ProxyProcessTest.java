package dev.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts a real server process (the JDK's jwebserver) the way the harness starts a proxy. */
class ProxyProcessTest {

    @TempDir
    Path dir;

    private static String jwebserver() {
        String java = ProcessHandle.current().info().command().orElseThrow();
        return Path.of(java).resolveSibling("jwebserver").toString();
    }

    @Test
    void measuresStartupToTheFirst200AndStopsTheProcess() throws IOException {
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("1kb"), Upstream.body());
        int port = LoopbackPorts.free();
        ProxyProcess server = ProxyProcess.start(List.of(jwebserver(), "-b", "127.0.0.1", "-p", Integer.toString(port),
                "-d", www.toString()), ProxyProcess.servesAndAccepts(new Endpoints(port, port, port, port), "/1kb"),
                dir.resolve("server.log"));
        ProcessTree tree = server.tree();
        try {
            assertThat(server.startupMillis()).isPositive();
            assertThat(tree.sample().rssKb()).isGreaterThan(1024);
        } finally {
            server.close();
        }
        assertThat(tree.sample()).as("stopped").isEqualTo(new ProcessUsage(0, 0));
    }

    @Test
    void aServerThatExitsIsReportedWithItsLog() {
        assertThatThrownBy(() -> ProxyProcess.start(List.of("sh", "-c", "echo bad config line 3; exit 1"),
                ProxyProcess.serves(LoopbackPorts.free(), "/1kb"), dir.resolve("bad.log")))
                .hasMessageContaining("exit 1").hasMessageContaining("bad config line 3");
    }

    @Test
    void aPortThatOnlyAcceptsIsReadyByAcceptingNotByServing() throws IOException {
        // A TLS-only sidecar port cannot answer plain HTTP; jwebserver stands in for a port that accepts.
        int port = LoopbackPorts.free();
        ProxyProcess server = ProxyProcess.start(List.of(jwebserver(), "-b", "127.0.0.1", "-p", Integer.toString(port),
                "-d", dir.toString()), ProxyProcess.acceptsOn(port), dir.resolve("accepting.log"));
        try {
            assertThat(ProxyProcess.acceptsOn(port).getAsBoolean()).isTrue();
            assertThat(ProxyProcess.serves(port, "/1kb").getAsBoolean()).as("no /1kb in an empty directory").isFalse();
        } finally {
            server.close();
        }
    }
}
