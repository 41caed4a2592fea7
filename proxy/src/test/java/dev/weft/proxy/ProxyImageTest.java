package dev.weft.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's one command, {@code /usr/local/bin/weft-proxy} (src/main/jib), which the injected pod's containers run
 * by name: run from the source tree over an {@code /app} laid out as the image lays it (jib's main class file and
 * jar directory, the build's library list and the flags file the image ships), it starts this build's proxy with the
 * image's JVM flags.
 */
class ProxyImageTest {

    private static final Path JIB = Path.of("src/main/jib");
    private static final Path COMMAND = JIB.resolve("usr/local/bin/weft-proxy");

    @TempDir
    Path app;

    @BeforeEach
    void layOutApp() throws IOException {
        Files.copy(JIB.resolve("app/jib-jvm-flags-file"), app.resolve("jib-jvm-flags-file"));
        Files.createDirectory(app.resolve("classpath"));
        Files.writeString(app.resolve("weft-proxy-libs"), System.getProperty("java.class.path") + "\n");
        Files.writeString(app.resolve("jib-main-class-file"), pomValue("mainClass"));
    }

    @Test
    void theImagesEntrypointIsThisExecutableCommand() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        assertThat(pom).contains("<arg>/" + JIB.relativize(COMMAND) + "</arg>")
                .containsPattern("<file>/" + JIB.relativize(COMMAND) + "</file>\\s*<mode>755</mode>");
        assertThat(Files.isExecutable(COMMAND)).isTrue();
        // The library list the command reads is the build's, and the image carries it into /app.
        assertThat(pom).contains("<outputFile>${project.build.directory}/jib-app/weft-proxy-libs</outputFile>")
                .containsPattern("<from>\\$\\{project.build.directory}/jib-app</from>\\s*<into>/app</into>");
    }

    @Test
    void weftProxyWaitRunsWithTheImagesJvmFlags() {
        Commands.Result result = weftProxy(List.of("JDK_JAVA_OPTIONS=-XX:+PrintCommandLineFlags"), "wait", "--help");

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("usage: weft-proxy wait", "-XX:MaxHeapSize=67108864", "-XX:+UseSerialGC",
                "-XX:ThreadStackSize=256");
    }

    @Test
    void weftProxyIstioIptablesPrintsTheRules() {
        Commands.Result result = weftProxy(List.of(), "istio-iptables", "--dry-run", "-u", "1337", "-b", "80");

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output().lines()).startsWith("*nat").endsWith("COMMIT")
                .contains("-A ISTIO_INBOUND -p tcp --dport 80 -j ISTIO_IN_REDIRECT");
    }

    /** The command with this JDK on PATH, as the base image's, and {@code env} (a look inside the JVM). */
    private Commands.Result weftProxy(List<String> env, String... args) {
        assumeTrue(Runtime.version().feature() >= 25, "the image's flags are for its JDK 25");
        List<String> command = new ArrayList<>(List.of("env", "WEFT_PROXY_APP_ROOT=" + app,
                "PATH=" + Path.of(System.getProperty("java.home"), "bin") + ":/usr/bin:/bin"));
        command.addAll(env);
        command.add(COMMAND.toAbsolutePath().toString());
        command.addAll(List.of(args));
        return Commands.run(command);
    }

    private static String pomValue(String element) throws IOException {
        var matcher = Pattern.compile("<" + element + ">([^<]+)</" + element + ">")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertThat(matcher.find()).as("pom.xml names a " + element).isTrue();
        return matcher.group(1);
    }
}
