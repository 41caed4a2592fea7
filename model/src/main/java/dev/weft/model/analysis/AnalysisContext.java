package dev.weft.model.analysis;

import dev.weft.model.ConfigSnapshot;
import dev.weft.model.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What an analyzer sees: the snapshot of every loaded resource (including those that failed
 * validation, as istioctl analyzes them too), indexes shared by analyzers, and the sink for findings.
 */
public final class AnalysisContext {
  private final ConfigSnapshot snapshot;
  private final MeshServices services;
  private final Workloads workloads;
  private final Set<String> credentials;
  private final List<Message> messages = new ArrayList<>();

  AnalysisContext(ConfigSnapshot snapshot, String domainSuffix, Set<String> credentials) {
    this.snapshot = snapshot;
    this.credentials = Set.copyOf(credentials);
    this.services = new MeshServices(snapshot, domainSuffix);
    this.workloads = new Workloads(snapshot);
  }

  public ConfigSnapshot snapshot() {
    return snapshot;
  }

  public MeshServices services() {
    return services;
  }

  public Workloads workloads() {
    return workloads;
  }

  /**
   * The TLS credentials the mesh serves from outside its config: mesh-wide ones by name (weft's credentials
   * directory), a namespace's as {@code namespace/name} (a cluster's Secrets).
   */
  public Set<String> credentials() {
    return credentials;
  }

  /** Reports a finding about a resource, pointing at the line of {@code path} (or the document). */
  public void report(Resource<?> resource, String path, MessageType type, Object... args) {
    reportAt(type.level(), resource, path, type, args);
  }

  /** Reports a finding at a level other than its type's, where the analyzer knows the impact. */
  public void reportAt(Level level, Resource<?> resource, String path, MessageType type, Object... args) {
    int line = path.isEmpty() ? resource.origin().line() : resource.origin().lineOf(path);
    String namespace = resource.kind().isNamespaced() ? resource.namespace() : "";
    messages.add(new Message(type, level, resource.displayName(), namespace, resource.origin().file(), line,
        type.format(args)));
  }

  List<Message> messages() {
    return List.copyOf(messages);
  }
}
