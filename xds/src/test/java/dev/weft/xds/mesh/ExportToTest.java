package dev.weft.xds.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExportToTest {

    @Test
    void omittedMeansEveryone() {
        assertThat(ExportTo.of(null, "a").isVisibleTo("b")).isTrue();
        assertThat(ExportTo.of(List.of(), "a").isVisibleTo("b")).isTrue();
    }

    @Test
    void dotMeansOwnNamespace() {
        ExportTo exportTo = ExportTo.of(List.of("."), "a");
        assertThat(exportTo.isVisibleTo("a")).isTrue();
        assertThat(exportTo.isVisibleTo("b")).isFalse();
    }

    @Test
    void tildeMeansNobodyAndStarEveryone() {
        assertThat(ExportTo.of(List.of("~"), "a").isVisibleTo("a")).isFalse();
        assertThat(ExportTo.of(List.of("*"), "a").isVisibleTo("z")).isTrue();
    }

    @Test
    void namedNamespaces() {
        ExportTo exportTo = ExportTo.of(List.of("b", "c"), "a");
        assertThat(exportTo.isVisibleTo("c")).isTrue();
        assertThat(exportTo.isVisibleTo("a")).isFalse();
    }
}
