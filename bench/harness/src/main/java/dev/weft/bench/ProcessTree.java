package dev.weft.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads CPU ticks and RSS from /proc for a process and all its descendants, so multi-process servers (nginx's
 * master and worker) are measured the same way as single-process ones.
 */
public final class ProcessTree {

    /** utime and stime are fields 14 and 15 of /proc/PID/stat; counted after the ")" ending field 2 they are 11 and 12. */
    private static final int UTIME_AFTER_COMM = 11;

    private final long rootPid;

    public ProcessTree(long rootPid) {
        this.rootPid = rootPid;
    }

    public ProcessUsage sample() {
        ProcessUsage total = sampleOne(rootPid);
        for (long pid : descendants()) {
            total = total.plus(sampleOne(pid));
        }
        return total;
    }

    /**
     * Proportional set size of the tree (/proc/PID/smaps_rollup): each shared page divided among the processes
     * mapping it, so sidecars sharing a JDK's files on a node are not each charged in full. Read on demand rather
     * than sampled, because the kernel walks every mapping to produce it.
     */
    public long pssKb() {
        long total = pssKbOne(rootPid);
        for (long pid : descendants()) {
            total += pssKbOne(pid);
        }
        return total;
    }

    private long[] descendants() {
        return ProcessHandle.of(rootPid).stream().flatMap(ProcessHandle::descendants).mapToLong(ProcessHandle::pid)
                .toArray();
    }

    private static long pssKbOne(long pid) {
        try {
            return pssKb(Files.readString(Path.of("/proc", Long.toString(pid), "smaps_rollup")));
        } catch (NoSuchFileException gone) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ProcessUsage sampleOne(long pid) {
        try {
            Path proc = Path.of("/proc", Long.toString(pid));
            return new ProcessUsage(cpuTicks(Files.readString(proc.resolve("stat"))),
                    rssKb(Files.readString(proc.resolve("status"))));
        } catch (NoSuchFileException gone) {
            return new ProcessUsage(0, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long cpuTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Long.parseLong(fields[UTIME_AFTER_COMM]) + Long.parseLong(fields[UTIME_AFTER_COMM + 1]);
    }

    static long rssKb(String status) {
        return kbField(status, "VmRSS:");
    }

    static long pssKb(String smapsRollup) {
        return kbField(smapsRollup, "Pss:");
    }

    private static long kbField(String text, String name) {
        return text.lines().filter(l -> l.startsWith(name))
                .mapToLong(l -> Long.parseLong(l.substring(name.length()).replace("kB", "").trim()))
                .findFirst().orElse(0);
    }
}
