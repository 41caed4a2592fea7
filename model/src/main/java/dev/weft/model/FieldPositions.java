package dev.weft.model;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The position of every field a document wrote, and the text of its scalars, keyed by field path. Kept with every
 * loaded resource, so it must cost about what the document's text does: a map from full path strings to position
 * records cost 20 MB for a 1 MB VirtualService of 10,000 routes. Each field is stored as its parent field and the
 * rest of its path ({@code .host}, {@code [3]}), shared between fields, in flat arrays with an open-addressing
 * index; a path is looked up by walking those pieces back from its end. About 32 bytes a field.
 */
public final class FieldPositions {

  private static final FieldPositions EMPTY = new Builder().build();

  private final int size;
  private final int[] parents;
  private final String[] pieces;
  private final int[] hashes;
  private final int[] lines;
  private final int[] columns;
  private final String[] texts;
  private final int[] index;

  private FieldPositions(Builder builder) {
    size = builder.size;
    parents = Arrays.copyOf(builder.parents, size);
    pieces = Arrays.copyOf(builder.pieces, size);
    hashes = Arrays.copyOf(builder.hashes, size);
    lines = Arrays.copyOf(builder.lines, size);
    columns = Arrays.copyOf(builder.columns, size);
    texts = builder.texts == null ? null : Arrays.copyOf(builder.texts, size);
    index = indexOf(hashes, size);
  }

  public static FieldPositions empty() {
    return EMPTY;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The positions and texts of the given maps; the positions' iteration order is kept. */
  public static FieldPositions of(Map<String, Position> positions, Map<String, String> texts) {
    Builder builder = new Builder();
    positions.forEach((path, position) -> builder.mark(path, position.line(), position.column()));
    texts.forEach((path, text) -> {
      Position position = positions.getOrDefault(path, new Position(0, 0));
      builder.scalar(path, position.line(), position.column(), text);
    });
    return builder.build();
  }

  public boolean has(String path) {
    return find(hashes, parents, pieces, index, path, path.length()) >= 0;
  }

  public Optional<Position> positionOf(String path) {
    int field = find(hashes, parents, pieces, index, path, path.length());
    return field < 0 ? Optional.empty() : Optional.of(new Position(lines[field], columns[field]));
  }

  public Optional<String> textOf(String path) {
    int field = find(hashes, parents, pieces, index, path, path.length());
    return field < 0 || texts == null ? Optional.empty() : Optional.ofNullable(texts[field]);
  }

  public int size() {
    return size;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof FieldPositions that && size == that.size
        && Arrays.equals(parents, that.parents) && Arrays.equals(pieces, that.pieces)
        && Arrays.equals(lines, that.lines) && Arrays.equals(columns, that.columns)
        && Arrays.equals(texts == null ? new String[size] : texts, that.texts == null ? new String[size] : that.texts);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(pieces) + Arrays.hashCode(lines);
  }

  /** Collects fields in the order a binder visits them; the first position given for a path is kept. */
  public static final class Builder {
    private final Map<String, String> sharedPieces = new HashMap<>();
    private int size;
    private int[] parents = new int[16];
    private String[] pieces = new String[16];
    private int[] hashes = new int[16];
    private int[] lines = new int[16];
    private int[] columns = new int[16];
    private String[] texts;
    private int[] index = new int[32];

    private Builder() {}

    /** Records where a field was written, unless it was recorded before. */
    public Builder mark(String path, int line, int column) {
      add(path, line, column);
      return this;
    }

    /** Records a scalar field: its position, unless recorded before, and its text as written. */
    public Builder scalar(String path, int line, int column, String text) {
      int field = add(path, line, column);
      if (texts == null) {
        texts = new String[parents.length];
      }
      texts[field] = text;
      return this;
    }

    public boolean has(String path) {
      return find(hashes, parents, pieces, index, path, path.length()) >= 0;
    }

    public FieldPositions build() {
      return new FieldPositions(this);
    }

    private int add(String path, int line, int column) {
      int known = find(hashes, parents, pieces, index, path, path.length());
      if (known >= 0) {
        return known;
      }
      int parent = parentOf(path);
      int parentLength = parent < 0 ? 0 : lengthOf(parent);
      String piece = path.substring(parentLength);
      piece = sharedPieces.computeIfAbsent(piece, p -> p);
      if (size == parents.length) {
        grow();
      }
      int field = size++;
      parents[field] = parent;
      pieces[field] = piece;
      hashes[field] = hash(path, path.length());
      lines[field] = line;
      columns[field] = column;
      if (size * 2 > index.length) {
        index = indexOf(hashes, size);
      } else {
        insert(index, hashes[field], field);
      }
      return field;
    }

    /** The nearest recorded field whose path is a proper prefix ending where a path segment does. */
    private int parentOf(String path) {
      int end = path.length();
      while (end > 0) {
        end = Math.max(path.lastIndexOf('.', end - 1), path.lastIndexOf('[', end - 1));
        if (end < 0) {
          end = 0;
        }
        int found = find(hashes, parents, pieces, index, path, end);
        if (found >= 0) {
          return found;
        }
      }
      return -1;
    }

    private int lengthOf(int field) {
      int length = 0;
      for (int f = field; f >= 0; f = parents[f]) {
        length += pieces[f].length();
      }
      return length;
    }

    private void grow() {
      int capacity = parents.length * 2;
      parents = Arrays.copyOf(parents, capacity);
      pieces = Arrays.copyOf(pieces, capacity);
      hashes = Arrays.copyOf(hashes, capacity);
      lines = Arrays.copyOf(lines, capacity);
      columns = Arrays.copyOf(columns, capacity);
      if (texts != null) {
        texts = Arrays.copyOf(texts, capacity);
      }
    }
  }

  /** An open-addressing table of field numbers plus one (0 is free), at most half full. */
  private static int[] indexOf(int[] hashes, int size) {
    int capacity = Integer.highestOneBit(Math.max(4, size) * 2) * 2;
    int[] index = new int[capacity];
    for (int field = 0; field < size; field++) {
      insert(index, hashes[field], field);
    }
    return index;
  }

  private static void insert(int[] index, int hash, int field) {
    int mask = index.length - 1;
    int slot = spread(hash) & mask;
    while (index[slot] != 0) {
      slot = (slot + 1) & mask;
    }
    index[slot] = field + 1;
  }

  /** The field whose path is {@code path}'s first {@code length} characters, or -1. */
  private static int find(int[] hashes, int[] parents, String[] pieces, int[] index, String path, int length) {
    int hash = hash(path, length);
    int mask = index.length - 1;
    for (int slot = spread(hash) & mask; index[slot] != 0; slot = (slot + 1) & mask) {
      int field = index[slot] - 1;
      if (hashes[field] == hash && spells(parents, pieces, field, path, length)) {
        return field;
      }
    }
    return -1;
  }

  /** Whether the field's pieces, read back from its own to the root's, spell the path. */
  private static boolean spells(int[] parents, String[] pieces, int field, String path, int length) {
    int end = length;
    for (int f = field; f >= 0; f = parents[f]) {
      String piece = pieces[f];
      end -= piece.length();
      if (end < 0 || !path.startsWith(piece, end)) {
        return false;
      }
    }
    return end == 0;
  }

  private static int hash(String path, int length) {
    int hash = 0;
    for (int i = 0; i < length; i++) {
      hash = 31 * hash + path.charAt(i);
    }
    return hash;
  }

  private static int spread(int hash) {
    return hash ^ (hash >>> 16);
  }
}
