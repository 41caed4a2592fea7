package dev.weft.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code weft --version}: the build's version ({@link dev.weft.api.WeftVersion}) and the JDK's. */
public final class WeftVersion implements IVersionProvider {

  @Override
  public String[] getVersion() {
    return new String[] {"weft " + dev.weft.api.WeftVersion.get() + " (Java " + Runtime.version() + ")"};
  }
}
