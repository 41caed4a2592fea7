package dev.weft.cli.local;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading the YAML and JSON files a user names, with a message that says what is wrong with a binary one. */
public final class TextFiles {

  private TextFiles() {}

  /**
   * The file as UTF-8 text.
   *
   * @throws IOException "not UTF-8 text ..." for a file that is not (the JDK says only "Input length = 1")
   */
  public static String readUtf8(Path file) throws IOException {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (MalformedInputException e) {
      throw new IOException("not UTF-8 text: weft reads YAML and JSON files as UTF-8 (a binary file?)", e);
    }
  }
}
