package dev.weft.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Facts about the machine and tools, read from /proc and the tools' own version output. */
final class HostFacts {

    private HostFacts() {
    }

    static String cpuModel() {
        return readOr(Path.of("/proc/cpuinfo"), "").lines().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
    }

    /** Online CPUs of the machine, not of this JVM (which run.sh pins to the load generator's CPU). */
    static int cpus() {
        return (int) readOr(Path.of("/proc/cpuinfo"), "").lines().filter(l -> l.startsWith("processor")).count();
    }

    /** The 1, 5 and 15 minute load averages, as /proc/loadavg prints them. */
    static String loadAverage() {
        String[] fields = readOr(Path.of("/proc/loadavg"), "? ? ?").trim().split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    static Map<String, String> toolVersions(String java) {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("wrk", firstLine(List.of("wrk", "-v")));
        versions.put("h2load", firstLine(List.of("h2load", "--version")));
        versions.put("nginx", firstLine(List.of("nginx", "-v")));
        versions.put("haproxy", firstLine(List.of("haproxy", "-v")));
        versions.put("proxy java", firstLine(List.of(java, "-version")));
        return versions;
    }

    private static String firstLine(List<String> argv) {
        try {
            return new ExternalCommand(argv).run(Duration.ofSeconds(10)).lines().findFirst().orElse("").trim();
        } catch (RuntimeException e) {
            return "unavailable (" + e.getMessage() + ")";
        }
    }

    private static String readOr(Path file, String fallback) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return fallback;
        }
    }
}
