package dev.weft.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ahead-of-time cache's life with real JVMs: one run records, the next start assembles, later runs map it. */
class ProxyAotCacheTest {

    /** What the recorded JVM runs: a class that is only on the jar's class path. */
    public static final class Trainee {
        public static void main(String[] args) {
            System.out.println("trained " + List.of(args));
        }
    }

    @TempDir
    Path dir;
    private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private final List<String> jvmFlags = ProxyJvm.flags(Runtime.version().feature(), ProxyJvm.DEFAULT_MAX_HEAP);
    private String classPath;

    @BeforeEach
    void jar() throws IOException {
        // An AOT cache takes classes from jars only.
        Path jar = dir.resolve("trainee.jar");
        String entry = Trainee.class.getName().replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out);
                InputStream in = Trainee.class.getClassLoader().getResourceAsStream(entry)) {
            jarOut.putNextEntry(new JarEntry(entry));
            in.transferTo(jarOut);
        }
        classPath = jar.toString();
    }

    @Test
    void theFirstProxyRecordsTheNextStartAssemblesAndLaterProxiesMapTheCache() throws Exception {
        ProxyAotCache first = cache();
        List<String> recording = first.flags();
        assertThat(recording).contains("-XX:AOTMode=record");
        assertThat(first.flags()).as("one proxy records").isEmpty();
        run(recording);

        ProxyAotCache next = cache();
        assertThat(next.assembleIfRecorded(jvmFlags)).isEmpty();
        assertThat(next.file()).isRegularFile();
        List<String> mapping = next.flags();
        assertThat(mapping).containsExactly("-XX:AOTCache=" + next.file());
        List<String> mustMap = new ArrayList<>(mapping);
        mustMap.add("-XX:AOTMode=on");
        assertThat(run(mustMap)).as("AOTMode=on fails a JVM that cannot map the cache").contains("trained [x]");
    }

    @Test
    void aRebuiltClassPathIsAnotherCacheAndTheOldOneGoes() throws Exception {
        ProxyAotCache before = cache();
        run(before.flags());
        assertThat(cache().assembleIfRecorded(jvmFlags)).isEmpty();
        Files.setLastModifiedTime(Path.of(classPath), FileTime.fromMillis(System.currentTimeMillis() + 60_000));

        ProxyAotCache rebuilt = cache();
        assertThat(rebuilt.file()).isNotEqualTo(before.file());
        List<String> recording = rebuilt.flags();
        assertThat(recording).as("the rebuilt class path records anew").contains("-XX:AOTMode=record");
        run(recording);
        assertThat(cache().assembleIfRecorded(jvmFlags)).isEmpty();
        assertThat(rebuilt.file()).isRegularFile();
        assertThat(before.file()).doesNotExist();
    }

    @Test
    void aFailedAssemblyIsSaidAndProxiesRunWithout() throws Exception {
        ProxyAotCache aot = cache();
        Files.createDirectories(dir.resolve("cache"));
        Files.writeString(Path.of(aot.flags().get(1).substring("-XX:AOTConfiguration=".length())), "not a record");

        assertThat(aot.assembleIfRecorded(jvmFlags)).hasValueSatisfying(why -> assertThat(why).contains("failed: ").contains("AOT configuration file"));
        assertThat(aot.file()).doesNotExist();
        assertThat(cache().flags()).as("the bad record is gone, so a proxy records again")
                .contains("-XX:AOTMode=record");
    }

    @Test
    void jdksBefore25HaveNone() {
        assertThat(ProxyAotCache.in(dir, java, 21, classPath)).isEmpty();
    }

    private ProxyAotCache cache() {
        return ProxyAotCache.in(dir.resolve("cache"), java, Runtime.version().feature(), classPath).orElseThrow();
    }

    private String run(List<String> aotFlags) throws Exception {
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmFlags);
        command.addAll(aotFlags);
        command.addAll(List.of("-cp", classPath, Trainee.class.getName(), "x"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return output;
    }
}
