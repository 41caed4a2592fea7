package dev.weft.bench;

/** CPU time and resident memory of a process tree at one instant. */
public record ProcessUsage(long cpuTicks, long rssKb) {

    ProcessUsage plus(ProcessUsage other) {
        return new ProcessUsage(cpuTicks + other.cpuTicks, rssKb + other.rssKb);
    }
}
