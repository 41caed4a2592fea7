package dev.weft.model.validation;

import dev.weft.model.ObjectMeta;

/** The Kubernetes API server's rules for names, namespaces and labels, for every kind. */
final class MetadataValidator {
  private static final String SUBDOMAIN_RULE = "a lowercase RFC 1123 subdomain must consist of lower case"
      + " alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
  private static final String LABEL_RULE = "a lowercase RFC 1123 label must consist of lower case alphanumeric"
      + " characters or '-', and must start and end with an alphanumeric character";

  private MetadataValidator() {}

  static void validate(ObjectMeta metadata, Findings findings) {
    if (!metadata.name().isEmpty() && !DomainNames.isSubdomain(metadata.name())) {
      findings.error("metadata.name", "Invalid value: \"" + metadata.name() + "\": " + SUBDOMAIN_RULE);
    }
    if (!metadata.namespace().isEmpty() && !DomainNames.isLabel(metadata.namespace())) {
      findings.error("metadata.namespace", "Invalid value: \"" + metadata.namespace() + "\": " + LABEL_RULE);
    }
    Labels.checkLabels(metadata.labels(), "metadata.labels", findings);
  }
}
