package dev.weft.model;

/** How bad a configuration finding is. Resources with an {@link #ERROR} are rejected. */
public enum Severity {
  ERROR("Error"),
  WARNING("Warning");

  private final String label;

  Severity(String label) {
    this.label = label;
  }

  /** The name Istio prints, e.g. {@code Error}. */
  public String label() {
    return label;
  }
}
