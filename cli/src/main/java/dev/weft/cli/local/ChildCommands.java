package dev.weft.cli.local;

import dev.weft.proxy.ProxyAotCache;
import dev.weft.proxy.ProxyJvm;
import dev.weft.proxy.capture.HostCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Command lines of child processes. Child JVMs run the same java binary and class path as this CLI (the sample
 * apps, weftd and weft-proxy are all on it), small: a capped heap and the serial collector, without JDK warnings. Children are put in
 * their own session with {@code setsid} when it exists, so a Ctrl-C at the terminal reaches only {@code weft up},
 * which then stops them in order.
 */
public final class ChildCommands {

  private static final Path SETSID = Path.of("/usr/bin/setsid");

  private final String java;
  /** The child JVM's feature release (21, 25, ...): which options it accepts. */
  private final int javaFeature;
  private final String classPath;
  private final boolean detachSession;
  /** What runs the child in its place: {@code ip netns exec NS} under transparent capture. */
  private final List<String> launcher;
  /** The proxies' ahead-of-time cache, shared by every copy of these commands (one proxy records it). */
  private final Optional<ProxyAotCache> proxyAot;

  /** @param javaFeature the feature release of {@code java} (21, 25, ...) */
  public ChildCommands(String java, int javaFeature, String classPath, boolean detachSession) {
    this(java, javaFeature, classPath, detachSession, List.of(), Optional.empty());
  }

  private ChildCommands(String java, int javaFeature, String classPath, boolean detachSession, List<String> launcher,
      Optional<ProxyAotCache> proxyAot) {
    this.java = java;
    this.javaFeature = javaFeature;
    this.classPath = classPath;
    this.detachSession = detachSession;
    this.launcher = List.copyOf(launcher);
    this.proxyAot = proxyAot;
  }

  /** The same commands, the proxies with JDK 25's ahead-of-time cache kept in {@code dir} ({@link ProxyAotCache}). */
  public ChildCommands withProxyAotCache(Path dir) {
    return new ChildCommands(java, javaFeature, classPath, detachSession, launcher,
        ProxyAotCache.in(dir, java, javaFeature, ProxyJvm.classPath(classPath)));
  }

  /**
   * Assembles the proxies' ahead-of-time cache if a proxy of an earlier run recorded one (a few seconds, once per
   * build). Returns why it failed, if it did.
   */
  public Optional<String> assembleProxyAotCache() {
    return proxyAot.flatMap(aot -> aot.assembleIfRecorded(ProxyJvm.flags(javaFeature, ProxyJvm.DEFAULT_MAX_HEAP)));
  }

  /**
   * Children inside the network namespace {@code netns}; with {@code group} they run with that group id, which
   * the capture rules exempt (the proxy's, 1337). Both tools exec the child, so its pid is the recorded one.
   */
  public ChildCommands inNetworkNamespace(String netns, java.util.OptionalInt group) {
    List<String> wrapped = new ArrayList<>(List.of(tool("ip"), "netns", "exec", netns));
    group.ifPresent(gid -> wrapped.addAll(List.of(tool("setpriv"), "--regid=" + gid, "--clear-groups")));
    return new ChildCommands(java, javaFeature, classPath, detachSession, wrapped, proxyAot);
  }

  private static String tool(String name) {
    return HostCommand.find(name).map(Path::toString).orElse(name);
  }

  /** Children like the running JVM. */
  public static ChildCommands ofCurrentJvm() {
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    return new ChildCommands(java, Runtime.version().feature(), System.getProperty("java.class.path"),
        Files.isExecutable(SETSID));
  }

  public List<String> java(String mainClass, List<String> args, String maxHeap) {
    List<String> command = small(maxHeap);
    command.add("-Xss512k");
    command.add("-cp");
    command.add(classPath);
    command.add(mainClass);
    command.addAll(args);
    return inSession(command);
  }

  /**
   * weft-proxy, with the JVM flags and the class path it is measured with ({@link ProxyJvm}): only the proxy's own
   * jars, not the CLI's whole class path.
   */
  public List<String> proxy(String mainClass, List<String> args, String maxHeap) {
    List<String> command = new ArrayList<>(List.of(java));
    command.addAll(ProxyJvm.flags(javaFeature, maxHeap));
    proxyAot.ifPresent(aot -> command.addAll(aot.flags()));
    command.add("-cp");
    command.add(ProxyJvm.classPath(classPath));
    command.add(mainClass);
    command.addAll(args);
    return inSession(command);
  }

  /** An executable jar of its own (the Zipkin server), in a JVM as small as the others but for its heap. */
  public List<String> jar(Path jar, String maxHeap) {
    List<String> command = small(maxHeap);
    command.add("-jar");
    command.add(jar.toString());
    return inSession(command);
  }

  /** A small JVM whose log carries no JDK warnings about the libraries we ship ({@link ProxyJvm#libraryAccess}). */
  private List<String> small(String maxHeap) {
    List<String> command = new ArrayList<>(List.of(java, "-Xmx" + maxHeap, "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
    command.addAll(ProxyJvm.libraryAccess(javaFeature));
    return command;
  }

  public List<String> executable(List<String> command) {
    return inSession(command);
  }

  private List<String> inSession(List<String> command) {
    List<String> wrapped = new ArrayList<>();
    if (detachSession) {
      wrapped.add(SETSID.toString());
    }
    wrapped.addAll(launcher);
    wrapped.addAll(command);
    return List.copyOf(wrapped);
  }
}
