package dev.weft.model.load;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/**
 * A text's lines as {@link String#lines()} splits them (at {@code \n}, {@code \r} and {@code \r\n}), cut out only
 * when asked for: the binder reads a few of them, and a copy of every line of a 16 MB input would cost more than
 * the input.
 */
final class SourceLines extends AbstractList<String> implements RandomAccess {
  private final String text;
  private final int[] starts;
  private final int count;

  SourceLines(String text) {
    this.text = text;
    int[] found = new int[16];
    int lines = 0;
    int at = 0;
    while (at < text.length()) {
      if (lines == found.length) {
        found = Arrays.copyOf(found, lines * 2);
      }
      found[lines++] = at;
      while (at < text.length() && text.charAt(at) != '\n' && text.charAt(at) != '\r') {
        at++;
      }
      if (at < text.length() && text.charAt(at) == '\r' && at + 1 < text.length() && text.charAt(at + 1) == '\n') {
        at++;
      }
      at++;
    }
    this.starts = found;
    this.count = lines;
  }

  @Override
  public String get(int index) {
    if (index < 0 || index >= count) {
      throw new IndexOutOfBoundsException(index);
    }
    int end = starts[index];
    while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
      end++;
    }
    return text.substring(starts[index], end);
  }

  @Override
  public int size() {
    return count;
  }
}
