package dev.weft.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Facts about the machine and tools, read from /proc and the tools' own version output. */
public final class HostFacts {

    private static final Pattern PSI_SOME = Pattern.compile("some avg10=([\\d.]+) avg60=([\\d.]+)");

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
    public static String loadAverage() {
        String[] fields = readOr(Path.of("/proc/loadavg"), "? ? ?").trim().split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    /**
     * The share of the last 10 and 60 seconds in which some runnable task waited for a CPU (Linux PSI), a direct
     * measure of how contended a shared machine was.
     */
    public static String cpuPressure() {
        return cpuPressure(readOr(Path.of("/proc/pressure/cpu"), ""));
    }

    static String cpuPressure(String psi) {
        Matcher m = PSI_SOME.matcher(psi);
        return m.find() ? m.group(1) + " % over 10 s, " + m.group(2) + " % over 60 s" : "unavailable";
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
