package dev.weft.cli.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {

  @TempDir Path dir;

  @Test
  void stateRoundTripsAndClears() {
    StateStore store = new StateStore(dir);
    assertThat(store.read()).isEmpty();
    ProcessRecord app = ProcessRecord.of("details-v1", Role.APP, "details-v1", ProcessHandle.current(), "d.log",
        "http://127.0.1.2:9080/health", "");
    RuntimeState state = new RuntimeState(1, 2, RuntimeState.STARTING, "/mesh", "http://127.0.0.1:1", 3, "",
        List.of()).with(app).running("http://127.0.0.1:8080").replacing(app.restarted(2));
    store.write(state);
    assertThat(store.read()).contains(state);
    assertThat(store.read().orElseThrow().processes()).singleElement().extracting(ProcessRecord::restarts).isEqualTo(2);
    store.clear();
    assertThat(store.read()).isEmpty();
  }

  @Test
  void anUnreadableStateFileIsReported() throws Exception {
    StateStore store = new StateStore(dir);
    Files.writeString(store.stateFile(), "{ not json");
    assertThatThrownBy(store::read).isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("state file " + store.stateFile() + " is unreadable");
  }

  @Test
  void aRecordIsLiveOnlyForTheSameProcess() {
    ProcessRecord self = ProcessRecord.of("me", Role.APP, "", ProcessHandle.current(), "", "", "");
    assertThat(self.live()).isPresent();
    ProcessRecord recycled = new ProcessRecord("me", Role.APP, "", self.pid(), self.startedAtMillis() - 60_000, "",
        "", "");
    assertThat(recycled.live()).isEmpty();
  }
}
