package dev.weft.model.validation;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The exportTo rules shared by VirtualService, DestinationRule and ServiceEntry (SEMANTICS §0). */
final class ExportTo {
  private ExportTo() {}

  static void check(List<String> exportTo, boolean allowNone, String path, Findings findings) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < exportTo.size(); i++) {
      String entry = exportTo.get(i);
      String entryPath = path + "[" + i + "]";
      if (!seen.add(entry)) {
        findings.error(entryPath, "duplicate entries in exportTo: " + entry);
      } else if (entry.equals("~") && !allowNone) {
        findings.error(entryPath, "exportTo ~ (none) is not allowed here");
      } else if (!entry.equals(".") && !entry.equals("*") && !entry.equals("~") && !DomainNames.isLabel(entry)) {
        findings.error(entryPath, "Invalid value: \"" + entry + "\": exportTo must be \".\", \"*\""
            + (allowNone ? ", \"~\"" : "") + " or a namespace name");
      }
    }
    if (exportTo.size() > 1 && seen.contains("*")) {
      findings.error(path, "exportTo * (all namespaces) cannot be combined with other values");
    }
    if (exportTo.size() > 1 && seen.contains("~")) {
      findings.error(path, "exportTo ~ (none) cannot be combined with other values");
    }
    if (seen.contains(".") && seen.contains(findings.namespace())) {
      findings.error(path, "duplicate entries in exportTo: . and the current namespace " + findings.namespace());
    }
  }
}
