package dev.weft.controlplane;

import com.sun.tools.attach.VirtualMachine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * weftd as its own JVM, as {@code weft up} runs it, with a heap of the size given, so a test sees what input does to
 * a real weftd's memory: the heap after a full collection is read over JMX (the local management agent, started
 * through the attach API), not estimated inside the test's own JVM.
 */
public final class WeftdProcess implements AutoCloseable {

    private static final Pattern PORTS = Pattern.compile("weftd xds-port=(\\d+) http-port=(\\d+)");

    private final Process process;
    private final int xdsPort;
    private final int httpPort;
    private final Path log;
    private JMXConnector jmx;
    private MemoryMXBean memory;

    private WeftdProcess(Process process, int xdsPort, int httpPort, Path log) {
        this.process = process;
        this.xdsPort = xdsPort;
        this.httpPort = httpPort;
        this.log = log;
    }

    /** Starts {@code WeftdMain} on port 0 with the test's class path, and waits for its ports. */
    public static WeftdProcess start(String maxHeap, Path logDir, String... weftdArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx" + maxHeap, "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"), WeftdMain.class.getName(),
                "--xds-port", "0", "--http-port", "0"));
        command.addAll(List.of(weftdArgs));
        Path log = logDir.resolve("weftd.log");
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        CompletableFuture<Matcher> ports = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    Matcher matcher = PORTS.matcher(line);
                    if (matcher.find()) {
                        return matcher;
                    }
                }
                throw new IllegalStateException("weftd ended before printing its ports");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            Matcher found = ports.get(60, TimeUnit.SECONDS);
            return new WeftdProcess(process, Integer.parseInt(found.group(1)), Integer.parseInt(found.group(2)), log);
        } catch (Exception e) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("weftd did not start: " + Files.readString(log), e);
        }
    }

    public int xdsPort() {
        return xdsPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** What weftd wrote to stderr (its log). */
    public String log() throws IOException {
        return Files.readString(log);
    }

    /** Bytes of heap in use after a full collection in weftd's JVM. */
    public long heapUsedAfterGc() throws Exception {
        if (memory == null) {
            VirtualMachine vm = VirtualMachine.attach(String.valueOf(process.pid()));
            String address;
            try {
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
            jmx = JMXConnectorFactory.connect(new JMXServiceURL(address));
            MBeanServerConnection server = jmx.getMBeanServerConnection();
            memory = ManagementFactory.newPlatformMXBeanProxy(server, ManagementFactory.MEMORY_MXBEAN_NAME,
                    MemoryMXBean.class);
        }
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    @Override
    public void close() throws Exception {
        if (jmx != null) {
            jmx.close();
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
