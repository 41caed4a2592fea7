package dev.weft.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;

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
        assertThat(tokens.identify("a")).as("no file yet").isEmpty();

        Files.writeString(file, "a spiffe://cluster.local/ns/default/sa/sleep\nnot a line at all\nb spiffe://x/y\n");
        assertThat(tokens.identify("a")).map(SpiffeId::serviceAccount).contains("sleep");
        assertThat(tokens.identify("b")).as("not a SPIFFE ID").isEmpty();
        assertThat(tokens.identify("not")).isEmpty();

        Files.writeString(file, "c spiffe://cluster.local/ns/prod/sa/api\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(tokens.identify("a")).as("a token that was removed").isEmpty();
        assertThat(tokens.identify("c")).map(SpiffeId::namespace).contains("prod");
    }
}
