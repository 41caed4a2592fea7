package dev.weft.model.validation;

import dev.weft.model.EchoedValue;
import java.util.Map;
import java.util.regex.Pattern;

/** Kubernetes label keys and values, as used in selectors and resource labels. */
final class Labels {
  private static final Pattern NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]");
  private static final Pattern VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?");

  private Labels() {}

  /** Checks labels of a selector: valid syntax and no wildcards (Istio selects by exact labels). */
  static void checkSelector(Map<String, String> labels, String path, Findings findings) {
    labels.forEach((key, value) -> {
      String entry = path + "[" + key + "]";
      if (key.contains("*") || value.contains("*")) {
        findings.error(entry, "wildcard is not supported in selector");
      } else {
        checkLabel(key, value, entry, findings);
      }
    });
  }

  static void checkLabels(Map<String, String> labels, String path, Findings findings) {
    labels.forEach((key, value) -> checkLabel(key, value, path + "[" + key + "]", findings));
  }

  private static void checkLabel(String key, String value, String path, Findings findings) {
    int slash = key.indexOf('/');
    String name = slash < 0 ? key : key.substring(slash + 1);
    String prefix = slash < 0 ? "" : key.substring(0, slash);
    if (!NAME.matcher(name).matches() || (slash >= 0 && !DomainNames.isSubdomain(prefix))) {
      findings.error(path, "Invalid value: \"" + EchoedValue.of(key) + "\": invalid label key");
    }
    if (!VALUE.matcher(value).matches()) {
      findings.error(path, "Invalid value: \"" + EchoedValue.of(value) + "\": invalid label value");
    }
  }
}
