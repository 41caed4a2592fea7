package dev.weft.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkloadChangesTest {

  private static WorkloadSpec workload(String name, String version) {
    return new WorkloadSpec(name, "default", "default", Map.of("version", version), List.of(8080),
        new WorkloadSpec.Executable(List.of("/bin/app")), Map.of(), Optional.empty(), false);
  }

  @Test
  void anAppliedFileIsTheWholeWorkloadList() {
    WorkloadChanges changes = WorkloadChanges.applying(
        List.of(workload("same", "v1"), workload("changed", "v1"), workload("gone", "v1")),
        List.of(workload("same", "v1"), workload("changed", "v2"), workload("new", "v1")));
    assertThat(changes.lines()).containsExactly("workload default/same unchanged", "workload default/changed configured",
        "workload default/new created", "workload default/gone deleted");
    assertThat(changes.removed()).containsExactly(workload("changed", "v1"), workload("gone", "v1"));
    assertThat(changes.added()).containsExactly(workload("changed", "v2"), workload("new", "v1"));
    assertThat(changes.notFound()).isEmpty();
  }

  @Test
  void aDeletedFileRemovesTheWorkloadsItNames() {
    WorkloadChanges changes = WorkloadChanges.deleting(List.of(workload("a", "v1"), workload("b", "v1")),
        List.of(workload("b", "v9"), workload("ghost", "v1")));
    assertThat(changes.lines()).containsExactly("workload default/b deleted");
    assertThat(changes.removed()).containsExactly(workload("b", "v1"));
    assertThat(changes.added()).isEmpty();
    assertThat(changes.notFound()).containsExactly("workload default/ghost");
  }
}
