package dev.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemsTest {

    @TempDir
    static java.nio.file.Path WORK;

    @Test
    void theComparisonIsDirectTwoWeftJvmsNginxAndHaproxy() {
        assertThat(Systems.comparison("java", "cp").stream().map(SystemSpec::name))
                .containsExactly("direct", "weft-proxy", "weft-proxy-tuned", "nginx", "haproxy");
    }

    @Test
    void flagStepsAccumulateSoEachShowsWhatOneMoreFlagBuys() {
        List<SystemSpec> steps = Systems.jvmFlagSteps("java", "cp");
        SystemSpec serial = steps.get(0);
        SystemSpec heap = steps.get(1);

        assertThat(serial.command()).contains("-XX:+UseSerialGC").doesNotContain("-Xmx64m");
        assertThat(heap.command()).contains("-XX:+UseSerialGC", "-Xmx64m");
        assertThat(steps.get(3).command()).contains("-XX:+UseCompactObjectHeaders", "-Xss256k");
        assertThat(steps).allSatisfy(s -> assertThat(s.command()).endsWith("dev.weft.proxy.ProxyMain", "--bootstrap",
                "${config}"));
    }

    @Test
    void aBaselineBuildRunsBesideWithItsOwnClassPathAndFlags() {
        List<SystemSpec> known = Systems.known("java", "cp", WORK);
        assertThat(Systems.withBaseline(known, "java", Map.of())).isEqualTo(known);

        List<SystemSpec> withBaseline = Systems.withBaseline(known, "java", Map.of("baseline-proxy-classpath", "old-cp",
                "baseline-flags", "-XX:+UseSerialGC  -Xmx64m", "baseline-commit", "1c0b80a"));
        SystemSpec before = withBaseline.getLast();
        assertThat(before.name()).isEqualTo("weft-proxy-before");
        assertThat(before.description()).contains("1c0b80a");
        assertThat(before.command()).containsSequence("java", "-XX:+UseSerialGC", "-Xmx64m").contains("old-cp")
                .doesNotContain("cp", "").noneMatch(arg -> arg.startsWith("-XX:AOTCache="));
    }

    @Test
    void aBaselineCanMapItsOwnAotCache() {
        SystemSpec before = Systems.withBaseline(List.of(), "java", Map.of("baseline-proxy-classpath", "old-cp",
                "baseline-flags", "-Xmn2m", "baseline-aot-dir", WORK.resolve("aot-before").toString())).getLast();

        assertThat(before.description()).contains("AOT cache");
        assertThat(before.command()).contains("-Xmn2m").anyMatch(arg -> arg.startsWith("-XX:AOTCache="
                + WORK.resolve("aot-before")));
    }

    @Test
    void everyProxyHasSidecarTemplatesForTheMutualTlsHop() {
        assertThat(Systems.known("java", "cp", WORK)).filteredOn(s -> !s.isDirect()).allSatisfy(s -> {
            assertThat(s.mtlsSidecars().outbound()).contains("mtls-outbound");
            assertThat(s.mtlsSidecars().inbound()).contains("mtls-inbound");
        });
    }

    @Test
    void theObservabilitySystemsTurnOnOnePartOfTheTelemetryEach() throws Exception {
        String template = java.nio.file.Files.readString(java.nio.file.Path.of("../configs/weft-proxy-observed.yaml"));
        java.util.Map<String, String> rendered = new java.util.HashMap<>();
        for (SystemSpec s : Systems.observability("java", "cp")) {
            java.util.Map<String, String> values = new java.util.HashMap<>(java.util.Map.of("listen_http1", "1",
                    "upstream_http1", "2", "listen_tcp", "3", "sink", "4", "workdir", "/w", "instance", s.name()));
            s.templateValues().forEach((k, v) -> values.put(k, ConfigTemplate.render(v, values)));
            rendered.put(s.name(), ConfigTemplate.render(template, values));
        }
        assertThat(rendered.get("weft-obs-off")).doesNotContain("istio.stats", "tracing:", "access_log:");
        assertThat(rendered.get("weft-obs-metrics")).contains("istio.stats").doesNotContain("tracing:");
        assertThat(rendered.get("weft-obs-trace1")).contains("random_sampling: { value: 1 }");
        assertThat(rendered.get("weft-obs-trace100")).contains("random_sampling: { value: 100 }");
        assertThat(rendered.get("weft-obs-accesslog")).contains("path: /w/weft-obs-accesslog.access.log");
        assertThat(rendered.get("weft-obs-all")).contains("istio.stats", "random_sampling: { value: 1 }",
                "access_log:");
    }

    @Test
    void theTlsEngineSystemIsTheTunedProxyOnTheJdksEngine() {
        SystemSpec jdk = Systems.tlsEngines("java", "cp").getFirst();
        assertThat(jdk.command()).containsAll(Systems.TUNED_FLAGS).contains("-Dweft.tls.engine=jdk");
    }

    /** weft up's cache (ProxyAotCache): mapped by every measured start, recorded by the priming one. */
    @Test
    void theAotSystemMapsTheCacheWeftUpMakesAndItsPrimingStartRecordsIt() {
        SystemSpec aot = Systems.known("java", "cp", WORK).stream().filter(s -> s.name().equals("weft-proxy-aot"))
                .findFirst().orElseThrow();
        String cacheFlag = aot.command().stream().filter(arg -> arg.startsWith("-XX:AOTCache=")).findFirst()
                .orElseThrow();
        assertThat(cacheFlag).startsWith("-XX:AOTCache=" + WORK.resolve("aot").resolve("weft-proxy-")).endsWith(".aot");
        assertThat(aot.command()).containsAll(Systems.TUNED_FLAGS);

        SystemSpec recording = AotTraining.recording(aot);
        assertThat(recording.command()).doesNotContain(cacheFlag).contains("-XX:AOTMode=record")
                .anyMatch(arg -> arg.startsWith("-XX:AOTConfiguration=" + WORK.resolve("aot")));
        assertThat(recording.command().subList(recording.command().indexOf("-cp"), recording.command().size()))
                .isEqualTo(aot.command().subList(aot.command().indexOf("-cp"), aot.command().size()));
        SystemSpec tuned = Systems.known("java", "cp", WORK).stream()
                .filter(s -> s.name().equals("weft-proxy-tuned")).findFirst().orElseThrow();
        assertThat(AotTraining.recording(tuned)).as("a system without a cache primes as it is").isEqualTo(tuned);
    }

    @Test
    void everyNameIsUnique() {
        List<String> names = Systems.known("java", "cp", WORK).stream().map(SystemSpec::name).toList();

        assertThat(names).doesNotHaveDuplicates();
    }
}
