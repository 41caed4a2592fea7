package dev.weft.proxy.capture;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code weft-proxy istio-iptables}, Istio's {@code pilot-agent istio-iptables} that the {@code istio-init} container
 * runs, and {@code weft iptables}: prints the nat rules that redirect a workload's TCP traffic to its sidecar, in
 * {@code iptables-restore} format, or with {@code --apply} installs them in the current network namespace (as root).
 * Long options may also be written {@code --name=value}; a repeated option takes its last value.
 *
 * @param name the command as its users type it, for the usage
 * @param errorPrefix what its error messages start with
 */
public record CaptureCommand(String name, String errorPrefix) {

    /** {@code weft-proxy istio-iptables}, the agent's subcommand. */
    public static final CaptureCommand PROXY = new CaptureCommand("weft-proxy istio-iptables",
            "weft-proxy istio-iptables");

    /** An option taking a value: its names, the value it has when not given, and its help. */
    private record Option(String name, String shortName, String label, String defaultValue, String description) {

        boolean named(String flag) {
            return flag.equals(name) || flag.equals(shortName);
        }

        String help() {
            String names = (shortName == null ? "    " : shortName + ", ") + name + " " + label;
            return "  %-38s %s%s.%n".formatted(names, description,
                    defaultValue.isEmpty() ? "" : " (default: " + defaultValue + ")");
        }
    }

    private static final List<Option> OPTIONS = List.of(
            new Option("--proxy-uid", "-u", "UID", "1337", "User the proxy runs as; its traffic is not captured"),
            new Option("--proxy-gid", "-g", "GID", "1337", "Group the proxy runs as"),
            new Option("--inbound-capture-port", "-b", "PORT", "15006", "Where inbound TCP is redirected"),
            new Option("--outbound-capture-port", "-p", "PORT", "15001", "Where outbound TCP is redirected"),
            new Option("--exclude-inbound-ports", "-d", "PORTS", "15090,15021,15020", "Inbound ports left alone"),
            new Option("--include-inbound-ports", null, "PORTS", "*", "Inbound ports captured: * for all but the"
                    + " excluded, a list, or empty for none (traffic.sidecar.istio.io/includeInboundPorts)"),
            new Option("--include-outbound-ranges", null, "CIDRS", "*", "IPv4 CIDRs whose outbound TCP is captured:"
                    + " *, a list, or empty for none (includeOutboundIPRanges)"),
            new Option("--exclude-outbound-ranges", null, "CIDRS", "",
                    "IPv4 CIDRs never captured (excludeOutboundIPRanges)"),
            new Option("--exclude-outbound-ports", null, "PORTS", "",
                    "Outbound ports never captured (excludeOutboundPorts)"));

    /** Returns the exit code: 0 printed or applied, 1 iptables-restore refused the rules, 2 bad usage. */
    public int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> values = new HashMap<>();
        OPTIONS.forEach(option -> values.put(option.name(), option.defaultValue()));
        boolean apply = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                out.print(usage());
                return 0;
            }
            if (arg.equals("--apply")) {
                apply = true;
                continue;
            }
            int eq = arg.indexOf('=');
            String flag = arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg;
            Optional<Option> option = OPTIONS.stream().filter(o -> o.named(flag)).findFirst();
            if (option.isEmpty()) {
                err.println(errorPrefix + ": unknown argument " + arg + " (try --help)");
                return 2;
            }
            if (!flag.equals(arg)) {
                values.put(option.get().name(), arg.substring(eq + 1));
            } else if (i + 1 < args.length) {
                values.put(option.get().name(), args[++i]);
            } else {
                err.println(errorPrefix + ": " + arg + " needs a value");
                return 2;
            }
        }
        CaptureRules rules;
        try {
            rules = rules(values);
        } catch (IllegalArgumentException e) {
            err.println(errorPrefix + ": " + e.getMessage());
            return 2;
        }
        if (!apply) {
            out.print(rules.iptablesRestore());
            return 0;
        }
        Optional<String> failed = rules.apply();
        if (failed.isPresent()) {
            err.println(errorPrefix + ": the rules were not applied: " + failed.get());
            return 1;
        }
        out.println(errorPrefix + ": capture rules applied (inbound to " + rules.inboundPort() + ", outbound to "
                + rules.outboundPort() + ", proxy uid " + rules.proxyUid() + " / gid " + rules.proxyGid() + " exempt)");
        return 0;
    }

    private CaptureRules rules(Map<String, String> values) {
        int inboundPort = port(values.get("--inbound-capture-port"));
        int outboundPort = port(values.get("--outbound-capture-port"));
        List<Integer> excludedInbound = CaptureRules.split(values.get("--exclude-inbound-ports")).stream()
                .map(CaptureCommand::port).toList();
        CaptureRules.Selection inbound = CaptureRules.Selection.parse(values.get("--include-inbound-ports"));
        inbound.listed().forEach(CaptureCommand::port);
        CaptureRules.Selection outbound = CaptureRules.Selection.parse(values.get("--include-outbound-ranges"));
        outbound.listed().forEach(this::ipv4Range);
        List<String> excludedRanges = CaptureRules.split(values.get("--exclude-outbound-ranges"));
        excludedRanges.forEach(this::ipv4Range);
        List<Integer> excludedPorts = CaptureRules.split(values.get("--exclude-outbound-ports")).stream()
                .map(CaptureCommand::port).toList();
        return new CaptureRules(id("--proxy-uid", values), id("--proxy-gid", values), inboundPort, outboundPort,
                excludedInbound, inbound, outbound, excludedRanges, excludedPorts);
    }

    private String usage() {
        StringBuilder usage = new StringBuilder("usage: " + name + " [--apply] [OPTIONS]\n\n"
                + "Prints the nat rules that redirect a workload's TCP traffic to its sidecar (istio-iptables), in\n"
                + "iptables-restore format, or with --apply installs them in the current network namespace (as root),\n"
                + "as the istio-init container of an injected pod does (or: ip netns exec NS " + name + " --apply).\n\n");
        OPTIONS.forEach(option -> usage.append(option.help()));
        usage.append("  %-38s %s%n".formatted("    --apply",
                "Install the rules here with iptables-restore --noflush instead of printing."));
        usage.append("  %-38s %s%n".formatted("-h, --help", "Print this help."));
        return usage.toString();
    }

    /** A user or group id: iptables' owner match takes any number, and refuses what it cannot use. */
    private static int id(String option, Map<String, String> values) {
        try {
            return Integer.parseInt(values.get(option).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": " + values.get(option) + " is not a number");
        }
    }

    private static int port(String value) {
        try {
            int port = Integer.parseInt(value.strip());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException(value + " is not a port (1-65535)");
    }

    /** The nat table of iptables is IPv4's: an IPv6 range would make iptables-restore refuse every rule. */
    private void ipv4Range(String cidr) {
        if (!cidr.matches("\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}")) {
            throw new IllegalArgumentException(cidr + " is not an IPv4 CIDR (" + name + " captures IPv4)");
        }
    }
}
