package dev.weft.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code jcmd PID VM.native_memory summary scale=KB} says a JVM has committed, by Native Memory Tracking's
 * categories (Java Heap, Class, Thread, Code, GC, Other, ...), with the loaded classes and threads it counts and the
 * metaspace and class space in use. Netty's direct buffers (allocated without a cleaner) are in Other; memory that
 * native libraries (BoringSSL) allocate themselves is not tracked and shows only as RSS beyond the total.
 */
record NativeMemorySummary(long totalCommittedKb, Map<String, Long> committedKb, long classes, long threads,
        long metaspaceUsedKb, long classSpaceUsedKb) {

    private static final Pattern TOTAL = Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB");
    private static final Pattern CATEGORY = Pattern.compile("^-\\s+(.+?) \\(reserved=\\d+KB, committed=(\\d+)KB\\)",
            Pattern.MULTILINE);
    private static final Pattern CLASSES = Pattern.compile("\\(classes #(\\d+)\\)");
    private static final Pattern THREADS = Pattern.compile("\\(threads #(\\d+)\\)");
    private static final Pattern METADATA_USED = Pattern.compile(
            "\\(\\s*Metadata:\\s*\\)\\s*\\(\\s*reserved=\\d+KB, committed=\\d+KB\\)\\s*\\(\\s*used=(\\d+)KB\\)");
    private static final Pattern CLASS_SPACE_USED = Pattern.compile(
            "\\(\\s*Class space:\\s*\\)\\s*\\(\\s*reserved=\\d+KB, committed=\\d+KB\\)\\s*\\(\\s*used=(\\d+)KB\\)");

    NativeMemorySummary {
        committedKb = Map.copyOf(committedKb);
    }

    static NativeMemorySummary parse(String jcmdOutput) {
        Matcher total = TOTAL.matcher(jcmdOutput);
        if (!total.find()) {
            throw new IllegalArgumentException("not a native memory summary (is -XX:NativeMemoryTracking=summary on?): "
                    + jcmdOutput.lines().limit(5).toList());
        }
        Map<String, Long> categories = new LinkedHashMap<>();
        Matcher m = CATEGORY.matcher(jcmdOutput);
        while (m.find()) {
            categories.put(m.group(1).trim(), Long.parseLong(m.group(2)));
        }
        return new NativeMemorySummary(Long.parseLong(total.group(1)), categories, first(CLASSES, jcmdOutput),
                first(THREADS, jcmdOutput), first(METADATA_USED, jcmdOutput), first(CLASS_SPACE_USED, jcmdOutput));
    }

    private static long first(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    long committed(String category) {
        return committedKb.getOrDefault(category, 0L);
    }
}
