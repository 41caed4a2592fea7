package dev.weft.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code weft} command line: istioctl plus the local runtime. */
@Command(
    name = "weft",
    mixinStandardHelpOptions = true,
    versionProvider = WeftVersion.class,
    description = "Weft: a service mesh that runs Istio configuration on a Java data plane.",
    subcommands = {
        AnalyzeCommand.class, UpCommand.class, DemoCommand.class, DownCommand.class, StatusCommand.class,
        LogsCommand.class, RestartCommand.class, ApplyCommand.class, DeleteCommand.class, ProxyStatusCommand.class,
        ProxyConfigCommand.class, ProxyCommand.class, IptablesCommand.class, TopCommand.class,
        InstallCommand.class, UninstallCommand.class, VersionCommand.class,
        CommandLine.HelpCommand.class})
public final class WeftCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Builds the command line with Weft's exit-code conventions: 0 ok, 1 findings, 2 usage errors. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new WeftCommand());
    cli.setExitCodeExceptionMapper(e -> 2);
    return cli;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
