package dev.weft.cli;

import java.io.PrintWriter;
import java.util.List;

/** istioctl-style text tables: columns as wide as their widest cell, three spaces apart. */
final class Table {
  private Table() {}

  /** Prints {@code rows}, the first being the header; every row has the header's number of cells. */
  static void print(PrintWriter out, List<List<String>> rows) {
    int[] widths = new int[rows.getFirst().size()];
    rows.forEach(row -> {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    });
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(row.get(i));
        if (i < row.size() - 1) {
          line.append(" ".repeat(widths[i] - row.get(i).length() + 3));
        }
      }
      out.println(line);
    }
  }
}
