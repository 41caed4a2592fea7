package dev.weft.controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.model.load.MeshConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeshConfigFileTest {

    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("mesh.yaml"), yaml);
    }

    @Test
    void aMissingOrInvalidFileIsRefusedWithItsErrors() throws IOException {
        Path file = dir.resolve("mesh.yaml");
        assertThatThrownBy(() -> MeshConfigFile.read(file, new MeshConfigLoader()))
                .hasMessageContaining(file + ":1: no such file");

        write("trustDomain: example.org\nrootNamespace: Not_A_Label\n");
        assertThatThrownBy(() -> MeshConfigFile.read(file, new MeshConfigLoader()))
                .hasMessageContaining(file + ":2: MeshConfig: rootNamespace: Invalid value: \"Not_A_Label\"");
    }

    @Test
    void aChangedFileReplacesTheConfigAndABadOrRemovedOneKeepsTheLastGood() throws IOException {
        Path file = write("trustDomain: one.org\n");
        MeshConfigFile mesh = MeshConfigFile.read(file, new MeshConfigLoader());
        assertThat(mesh.current().trustDomain()).isEqualTo("one.org");
        assertThat(mesh.reload()).as("unchanged").isFalse();

        write("trustDomain: second.example.org\n");
        assertThat(mesh.reload()).isTrue();
        assertThat(mesh.current().trustDomain()).isEqualTo("second.example.org");

        write("trustDomain: second.example.org\nextensionProviders: [{name: x}]\n");
        assertThat(mesh.reload()).isFalse();
        assertThat(mesh.current().trustDomain()).isEqualTo("second.example.org");

        Files.delete(file);
        assertThat(mesh.reload()).isFalse();
        assertThat(mesh.current().trustDomain()).isEqualTo("second.example.org");

        write("trustDomain: three.org\n");
        assertThat(mesh.reload()).isTrue();
        assertThat(mesh.current().trustDomain()).isEqualTo("three.org");
        write("trustDomain: three.org\nenableTracing: true\n");
        assertThat(mesh.reload()).as("the same settings").isFalse();
    }
}
