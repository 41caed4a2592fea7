package dev.weft.model;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a document came from: the file, the line where the document starts, and the position of every
 * field that was read, keyed by field path ({@code spec.http[0].route[1].destination.host}). Scalars also
 * keep their text as written, so messages can quote a host before it was expanded to an FQDN.
 */
public final class Origin {
  private final String file;
  private final Position start;
  private final FieldPositions fields;

  public Origin(String file, Position start, FieldPositions fields) {
    this.file = file;
    this.start = start;
    this.fields = fields;
  }

  public Origin(String file, Position start, Map<String, Position> positions, Map<String, String> texts) {
    this(file, start, FieldPositions.of(positions, texts));
  }

  /** An origin for a resource built in code, with no positions. */
  public static Origin synthetic(String name) {
    return new Origin(name, new Position(1, 1), FieldPositions.empty());
  }

  /** The file as given to the loader, or a label such as {@code <input>} for strings. */
  public String file() {
    return file;
  }

  /** The line where the document starts (its first key). */
  public int line() {
    return start.line();
  }

  public Position start() {
    return start;
  }

  /** Whether the field was present in the source. */
  public boolean has(String path) {
    return fields.has(path);
  }

  /** Position of the field, if it was present. */
  public Optional<Position> positionOf(String path) {
    return fields.positionOf(path);
  }

  /**
   * Line of the field, or of its nearest present ancestor, or of the document: always a line to point
   * at, even for a required field that is missing.
   */
  public int lineOf(String path) {
    String current = path;
    while (!current.isEmpty()) {
      Optional<Position> position = fields.positionOf(current);
      if (position.isPresent()) {
        return position.get().line();
      }
      current = parentOf(current);
    }
    return start.line();
  }

  /** The scalar as written in the source (before normalisation), if present. */
  public Optional<String> textOf(String path) {
    return fields.textOf(path);
  }

  private static String parentOf(String path) {
    int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    return cut <= 0 ? "" : path.substring(0, cut);
  }

  /** Value equality, so reloading unchanged text yields equal resources. */
  @Override
  public boolean equals(Object other) {
    return other instanceof Origin that && file.equals(that.file) && start.equals(that.start)
        && fields.equals(that.fields);
  }

  @Override
  public int hashCode() {
    return Objects.hash(file, start, fields);
  }

  @Override
  public String toString() {
    return file + ":" + start.line();
  }
}
