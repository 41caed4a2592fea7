package dev.weft.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The build's version, filtered into a resource by Maven so it is never out of date. */
public final class WeftVersion implements IVersionProvider {

  public static String version() {
    try (InputStream in = WeftVersion.class.getResourceAsStream("version.properties")) {
      Properties props = new Properties();
      if (in != null) {
        props.load(in);
      }
      return props.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String[] getVersion() {
    return new String[] {"weft " + version() + " (Java " + Runtime.version() + ")"};
  }
}
