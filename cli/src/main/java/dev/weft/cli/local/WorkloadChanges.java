package dev.weft.cli.local;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a workload request changes in a running mesh, kubectl's way: a workload file applied is the mesh's whole
 * workload list (each workload {@code created}, {@code configured}, {@code unchanged}, or {@code deleted} when the file
 * no longer has it); deleted, the workloads it names go ({@code deleted}, or {@code not found}). A configured workload
 * is stopped and started again with its new spec.
 */
record WorkloadChanges(List<WorkloadSpec> removed, List<WorkloadSpec> added, List<String> lines,
    List<String> notFound) {

  WorkloadChanges {
    removed = List.copyOf(removed);
    added = List.copyOf(added);
    lines = List.copyOf(lines);
    notFound = List.copyOf(notFound);
  }

  static WorkloadChanges applying(List<WorkloadSpec> running, List<WorkloadSpec> wanted) {
    Map<String, WorkloadSpec> now = byKey(running);
    Map<String, WorkloadSpec> next = byKey(wanted);
    List<WorkloadSpec> removed = new ArrayList<>();
    List<WorkloadSpec> added = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    next.forEach((key, spec) -> {
      WorkloadSpec old = now.get(key);
      if (old == null) {
        added.add(spec);
        lines.add(line(key, "created"));
      } else if (!old.equals(spec)) {
        removed.add(old);
        added.add(spec);
        lines.add(line(key, "configured"));
      } else {
        lines.add(line(key, "unchanged"));
      }
    });
    now.forEach((key, spec) -> {
      if (!next.containsKey(key)) {
        removed.add(spec);
        lines.add(line(key, "deleted"));
      }
    });
    return new WorkloadChanges(removed, added, lines, List.of());
  }

  static WorkloadChanges deleting(List<WorkloadSpec> running, List<WorkloadSpec> named) {
    Map<String, WorkloadSpec> now = byKey(running);
    List<WorkloadSpec> removed = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    List<String> notFound = new ArrayList<>();
    byKey(named).keySet().forEach(key -> {
      if (now.containsKey(key)) {
        removed.add(now.get(key));
        lines.add(line(key, "deleted"));
      } else {
        notFound.add("workload " + key);
      }
    });
    return new WorkloadChanges(removed, List.of(), lines, notFound);
  }

  private static Map<String, WorkloadSpec> byKey(List<WorkloadSpec> workloads) {
    Map<String, WorkloadSpec> byKey = new LinkedHashMap<>();
    workloads.forEach(w -> byKey.put(w.namespace() + "/" + w.name(), w));
    return byKey;
  }

  private static String line(String key, String action) {
    return "workload " + key + " " + action;
  }
}
