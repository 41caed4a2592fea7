package dev.weft.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProxyJvmTest {

    @TempDir
    Path dir;

    @Test
    void keepsTheProxyJarAndTheDependenciesItsManifestNames() throws IOException {
        Path proxy = jar("weft-proxy-1.0.jar", "./netty-buffer-4.2.jar:./protobuf-java-3.25.jar");
        String launcher = String.join(File.pathSeparator, "/cli/weft-cli.jar", "/m2/netty-buffer-4.2.jar",
                "/m2/kubernetes-model-core-7.5.jar", proxy.toString(), "/m2/protobuf-java-3.25.jar", "");

        assertThat(ProxyJvm.classPath(launcher, proxy)).isEqualTo(String.join(File.pathSeparator,
                "/m2/netty-buffer-4.2.jar", proxy.toString(), "/m2/protobuf-java-3.25.jar"));
    }

    @Test
    void matchesTheLaunchersOwnVersionOfALibraryButNotAnotherArtifact() throws IOException {
        Path proxy = jar("weft-proxy-1.0.jar", "./guava-32.0.1-jre.jar:./grpc-netty-1.85.1.jar"
                + ":./netty-tcnative-boringssl-static-2.0.84.Final-linux-x86_64.jar");
        String launcher = String.join(File.pathSeparator, "/m2/guava-33.4.0-jre.jar", "/m2/grpc-netty-shaded-1.85.1.jar",
                "/m2/grpc-netty-1.85.1.jar", "/lib/netty-tcnative-boringssl-static-2.0.84.Final-linux-x86_64.jar",
                proxy.toString());

        assertThat(ProxyJvm.classPath(launcher, proxy)).isEqualTo(String.join(File.pathSeparator,
                "/m2/guava-33.4.0-jre.jar", "/m2/grpc-netty-1.85.1.jar",
                "/lib/netty-tcnative-boringssl-static-2.0.84.Final-linux-x86_64.jar", proxy.toString()));
        assertThat(ProxyJvm.artifact("bcprov-jdk18on-1.86.jar")).isEqualTo("bcprov-jdk18on");
        assertThat(ProxyJvm.artifact("listenablefuture-9999.0-empty-to-avoid-conflict-with-guava.jar"))
                .isEqualTo("listenablefuture");
    }

    @Test
    void keepsTheWholeClassPathWhenTheJarNamesNoDependencies() throws IOException {
        Path proxy = jar("weft-proxy-1.0.jar", manifest());
        String launcher = String.join(File.pathSeparator, "/cli/weft-cli.jar", proxy.toString());

        assertThat(ProxyJvm.classPath(launcher, proxy)).isEqualTo(launcher);
    }

    /** A Class-Path is the JVM's to follow, and the launcher's class path would hold what it names. */
    @Test
    void readsNoClassPathAttribute() throws IOException {
        Manifest manifest = manifest();
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, "netty-buffer-4.2.jar");
        Path proxy = jar("weft-proxy-1.0.jar", manifest);
        String launcher = String.join(File.pathSeparator, "/cli/weft-cli.jar", proxy.toString());

        assertThat(ProxyJvm.classPath(launcher, proxy)).isEqualTo(launcher);
    }

    @Test
    void keepsTheWholeClassPathWhenNotRunFromAJar() {
        // Tests run from the build's classes directory.
        assertThat(ProxyJvm.classPath("/a.jar" + File.pathSeparator + "/b.jar"))
                .isEqualTo("/a.jar" + File.pathSeparator + "/b.jar");
    }

    @Test
    void flagsFollowTheJdk() {
        assertThat(ProxyJvm.flags(25, "64m")).contains("-XX:+UseSerialGC", "-XX:-TieredCompilation", "-Xmx64m",
                "-XX:+UseCompactObjectHeaders",
                "--sun-misc-unsafe-memory-access=allow", "-XX:TrimNativeHeapInterval=5000");
        assertThat(ProxyJvm.flags(21, "48m")).contains("-Xmx48m").doesNotContain("-XX:+UseCompactObjectHeaders",
                "--sun-misc-unsafe-memory-access=allow", "-XX:TrimNativeHeapInterval=5000");
    }

    /** The image's weft-proxy command reads them from this file (the base image's JDK is 25). */
    @Test
    void theImageStartsTheProxyWithTheseFlags() throws IOException {
        List<String> imageFlags = Files.readAllLines(Path.of("src/main/jib/app/jib-jvm-flags-file"));

        assertThat(imageFlags).isEqualTo(ProxyJvm.flags(25, ProxyJvm.DEFAULT_MAX_HEAP));
    }

    private Path jar(String name, String runtimeDependencies) throws IOException {
        Manifest manifest = manifest();
        if (runtimeDependencies != null) {
            manifest.getMainAttributes().putValue(ProxyJvm.RUNTIME_DEPENDENCIES, runtimeDependencies);
        }
        return jar(name, manifest);
    }

    private static Manifest manifest() {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        return manifest;
    }

    private Path jar(String name, Manifest manifest) throws IOException {
        Path jar = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out,
                manifest)) {
            return jar;
        }
    }
}
