package dev.weft.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkloadTokenFileTest {

    @TempDir
    Path dir;

    @Test
    void tokensAreReadAgainWhenTheFileChangesAndBadLinesAreSkipped() throws Exception {
        Path file = dir.resolve("workload-tokens");
        WorkloadTokenFile tokens = new WorkloadTokenFile(file);
        assertThatThrownBy(() -> tokens.identify("a")).as("no file yet").isInstanceOf(TokenRefused.class)
                .hasMessage("not a workload token weft up issued");

        Files.writeString(file, "a spiffe://cluster.local/ns/default/sa/sleep\nnot a line at all\nb spiffe://x/y\n");
        assertThat(tokens.identify("a").serviceAccount()).isEqualTo("sleep");
        assertThatThrownBy(() -> tokens.identify("b")).as("not a SPIFFE ID").isInstanceOf(TokenRefused.class);
        assertThatThrownBy(() -> tokens.identify("not")).isInstanceOf(TokenRefused.class);

        Files.writeString(file, "c spiffe://cluster.local/ns/prod/sa/api\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertThatThrownBy(() -> tokens.identify("a")).as("a token that was removed").isInstanceOf(TokenRefused.class);
        assertThat(tokens.identify("c").namespace()).isEqualTo("prod");
    }
}
