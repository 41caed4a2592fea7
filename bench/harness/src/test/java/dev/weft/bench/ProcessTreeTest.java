package dev.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class ProcessTreeTest {

    @Test
    void readsCpuTicksAfterACommandNameWithSpacesAndParentheses() {
        String stat = "4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 900 0 0 0 123 45 0 0 20 0 3 0 100 0 0";

        assertThat(ProcessTree.cpuTicks(stat)).isEqualTo(123 + 45);
    }

    @Test
    void readsRssFromStatus() {
        assertThat(ProcessTree.rssKb("Name:\tnginx\nVmPeak:\t  20000 kB\nVmRSS:\t   13204 kB\nThreads:\t1\n"))
                .isEqualTo(13204);
    }

    @Test
    void readsPssFromSmapsRollupNotItsDirtyOrAnonymousParts() {
        String rollup = "55d0-7ffd ---p 00000000 00:00 0 [rollup]\nRss:    1612 kB\nPss:     236 kB\n"
                + "Pss_Dirty:   116 kB\nPss_Anon:    116 kB\n";

        assertThat(ProcessTree.pssKb(rollup)).isEqualTo(236);
    }

    @Test
    void aRunningProcessHasAPssNoLargerThanItsRss() throws IOException, InterruptedException {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            ProcessTree tree = new ProcessTree(sleeper.pid());

            assertThat(tree.pssKb()).isPositive().isLessThanOrEqualTo(tree.sample().rssKb());
        } finally {
            sleeper.destroy();
            sleeper.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void sumsAProcessAndItsChildren() throws IOException, InterruptedException {
        Process shell = new ProcessBuilder("sh", "-c", "sleep 30 & sleep 30 & wait").start();
        try {
            ProcessTree tree = new ProcessTree(shell.pid());
            Awaitility.await().until(() -> shell.descendants().count() == 2);
            long shellOnly = ProcessTree.rssKb(Files.readString(Path.of("/proc", Long.toString(shell.pid()), "status")));

            assertThat(tree.sample().rssKb()).isGreaterThan(shellOnly);
        } finally {
            shell.descendants().forEach(ProcessHandle::destroy);
            shell.destroy();
            shell.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aProcessThatHasExitedCountsAsNothing() throws Exception {
        Process done = new ProcessBuilder("true").start();
        done.waitFor(5, TimeUnit.SECONDS);

        assertThat(new ProcessTree(done.pid()).sample()).isEqualTo(new ProcessUsage(0, 0));
    }
}
