package dev.weft.bench;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The classes a JVM has loaded ({@code jcmd PID VM.classes}), counted by where they come from: the libraries a
 * weft-proxy carries (Envoy's API protos, protobuf, gRPC, Netty, ...), weft itself, the JDK, and generated classes
 * (lambdas, method handles).
 */
final class ClassCensus {

    /** Package prefixes and the name a table shows for them; the first that matches wins. */
    private static final List<Map.Entry<String, String>> ORIGINS = List.of(
            Map.entry("io.envoyproxy.", "Envoy API protos (io.envoyproxy)"),
            Map.entry("com.github.xds.", "xDS protos (com.github.xds)"),
            Map.entry("com.google.protobuf.", "protobuf"),
            Map.entry("io.grpc.netty.shaded.io.netty.", "gRPC's shaded Netty"),
            Map.entry("io.grpc.", "gRPC"),
            Map.entry("io.netty.", "Netty"),
            Map.entry("dev.weft.", "weft"),
            Map.entry("com.fasterxml.", "Jackson"),
            Map.entry("org.yaml.", "SnakeYAML"),
            Map.entry("com.google.", "other Google libraries (Guava, RE2/J, ...)"),
            Map.entry("org.bouncycastle.", "Bouncy Castle"),
            Map.entry("java.", "JDK"),
            Map.entry("javax.", "JDK"),
            Map.entry("jdk.", "JDK"),
            Map.entry("sun.", "JDK"),
            Map.entry("com.sun.", "JDK"));

    private ClassCensus() {
    }

    /** Loaded classes per origin, array classes left out (they come with their element class). */
    static Map<String, Long> count(String vmClassesOutput) {
        Map<String, Long> counts = new TreeMap<>();
        for (String line : vmClassesOutput.lines().toList()) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 2 || !fields[0].startsWith("0x")) {
                continue;
            }
            String name = fields[fields.length - 1];
            if (name.startsWith("[")) {
                continue;
            }
            counts.merge(origin(name), 1L, Long::sum);
        }
        return counts;
    }

    static String origin(String className) {
        if (className.contains("$$Lambda") || className.contains("LambdaForm$") || className.contains("/0x")) {
            return "generated (lambdas, method handles)";
        }
        return ORIGINS.stream().filter(e -> className.startsWith(e.getKey())).map(Map.Entry::getValue).findFirst()
                .orElse("other");
    }
}
