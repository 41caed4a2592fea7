package dev.weft.cli.local;

/** A process of the mesh did not start or get ready; the message says which and shows its last log lines. */
public final class StartException extends Exception {
  public StartException(String message) {
    super(message);
  }
}
