package dev.weft.model.validation;

import dev.weft.model.EchoedValue;
import dev.weft.model.Kind;
import dev.weft.model.ObjectMeta;
import java.util.Map;

/** The Kubernetes API server's rules for names, namespaces, labels and annotations, for every kind. */
final class MetadataValidator {
  private static final String SUBDOMAIN_RULE = "a lowercase RFC 1123 subdomain must consist of lower case"
      + " alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
  private static final String LABEL_RULE = "a lowercase RFC 1123 label must consist of lower case alphanumeric"
      + " characters or '-', and must start and end with an alphanumeric character";
  /** Kubernetes' longest name (a DNS-1123 subdomain), and the longest of a Service or Namespace (a DNS label). */
  static final int MAX_NAME = 253;
  static final int MAX_LABEL_NAME = 63;
  /** Kubernetes' TotalAnnotationSizeLimitB: keys and values of all annotations together. */
  static final int MAX_ANNOTATIONS = 256 * 1024;

  private MetadataValidator() {}

  static void validate(Kind kind, ObjectMeta metadata, Findings findings) {
    String name = metadata.name();
    int maxName = kind == Kind.SERVICE || kind == Kind.NAMESPACE ? MAX_LABEL_NAME : MAX_NAME;
    if (name.length() > maxName) {
      findings.error("metadata.name", "Invalid value: \"" + EchoedValue.of(name) + "\": must be no more than "
          + maxName + " characters");
    } else if (!name.isEmpty() && !(maxName == MAX_NAME ? DomainNames.isSubdomain(name) : DomainNames.isLabel(name))) {
      findings.error("metadata.name", "Invalid value: \"" + name + "\": "
          + (maxName == MAX_NAME ? SUBDOMAIN_RULE : LABEL_RULE));
    }
    if (!metadata.namespace().isEmpty() && !DomainNames.isLabel(metadata.namespace())) {
      findings.error("metadata.namespace", "Invalid value: \"" + EchoedValue.of(metadata.namespace()) + "\": "
          + LABEL_RULE);
    }
    Labels.checkLabels(metadata.labels(), "metadata.labels", findings);
    long annotations = 0;
    for (Map.Entry<String, String> annotation : metadata.annotations().entrySet()) {
      annotations += annotation.getKey().length() + annotation.getValue().length();
    }
    if (annotations > MAX_ANNOTATIONS) {
      findings.error("metadata.annotations", "Too long: must have at most " + MAX_ANNOTATIONS + " bytes (has "
          + annotations + ")");
    }
  }
}
