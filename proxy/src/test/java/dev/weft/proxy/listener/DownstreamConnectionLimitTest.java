package dev.weft.proxy.listener;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownstreamConnectionLimitTest {

    @TempDir
    Path dir;

    private Path limits(String openFiles) throws Exception {
        return Files.writeString(dir.resolve("limits"), """
                Limit                     Soft Limit           Hard Limit           Units
                Max processes             63448                63448                processes
                %s
                Max locked memory         8388608              8388608              bytes
                """.formatted(openFiles));
    }

    @Test
    void theSoftOpenFilesLimitComesFromProcLimits() throws Exception {
        assertThat(DownstreamConnectionLimit.openFilesLimit(
                limits("Max open files            1024                 524288               files")))
                .hasValue(1024);
        assertThat(DownstreamConnectionLimit.openFilesLimit(
                limits("Max open files            unlimited            unlimited            files")))
                .hasValue(Long.MAX_VALUE);
    }

    @Test
    void withoutReadableLimitsThereIsNoDefault() throws Exception {
        assertThat(DownstreamConnectionLimit.openFilesLimit(dir.resolve("absent"))).isEqualTo(OptionalLong.empty());
        assertThat(DownstreamConnectionLimit.openFilesLimit(limits("Max open files  many  many  files")))
                .isEqualTo(OptionalLong.empty());
    }

    /** Half of what is neither open nor reserved, since each proxied connection also needs an upstream one. */
    @Test
    void theDefaultIsHalfTheFreeDescriptors() {
        assertThat(DownstreamConnectionLimit.defaultLimit(1024, 100)).isEqualTo((1024 - 100 - 64) / 2);
        assertThat(DownstreamConnectionLimit.defaultLimit(100, 90)).isEqualTo(16);
    }
}
