package dev.weft.proxy.capture;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code weft-proxy istio-iptables}, Istio's {@code pilot-agent istio-iptables} that the {@code istio-init} container
 * runs, and {@code weft iptables}: the nat rules that redirect a workload's TCP traffic to its sidecar, printed in
 * {@code iptables-restore} format or installed in the current network namespace (as root). The short options are
 * istio-iptables' letters, so the arguments Istio's injector writes work unchanged with either image. Long options may
 * also be written {@code --name=value}; a repeated option takes its last value.
 *
 * @param name the command as its users type it, for the usage
 * @param errorPrefix what its error messages start with
 * @param appliesByDefault whether the rules are installed unless {@code --dry-run} (istio-iptables) or printed unless
 *     {@code --apply} (weft's CLI, which users mostly run to read the rules)
 * @param missingIptables what to do where {@code iptables-restore} is missing, in the words of where it runs
 */
public record CaptureCommand(String name, String errorPrefix, boolean appliesByDefault, String missingIptables) {

    /** {@code weft-proxy istio-iptables}, the agent's subcommand, as the istio-init container runs it. */
    public static final CaptureCommand PROXY = new CaptureCommand("weft-proxy istio-iptables",
            "weft-proxy istio-iptables", true, "the image istio-init runs needs iptables: build the weft-proxy image"
                    + " on a base that has it (weft.image.base), or set the injector's init image"
                    + " (values.global.proxy_init.image) to one that has it and runs istio-iptables");

    /** An option taking a value: its names, the value it has when not given, and its help. */
    private record Option(String name, String shortName, String label, String defaultValue, String description) {

        boolean named(String flag) {
            return flag.equals(name) || flag.equals(shortName);
        }

        String help() {
            String names = (shortName == null ? "    " : shortName + ", ") + name + " " + label;
            return "  %-40s %s%s.%n".formatted(names, description,
                    defaultValue.isEmpty() ? "" : " (default: " + defaultValue + ")");
        }
    }

    private static final String PROXY_UID = "--proxy-uid";
    private static final String PROXY_GID = "--proxy-gid";
    private static final String MODE = "--inbound-interception-mode";
    private static final String LOG_LEVEL = "--log_output_level";

    private static final List<Option> OPTIONS = List.of(
            new Option(PROXY_UID, "-u", "UID", "1337", "User the proxy runs as; its traffic is not captured"),
            new Option(PROXY_GID, "-g", "GID", "", "Group the proxy runs as (default: the user's id)"),
            new Option("--outbound-capture-port", "-p", "PORT", "15001", "Where outbound TCP is redirected"),
            new Option("--inbound-capture-port", "-z", "PORT", "15006", "Where inbound TCP is redirected"),
            new Option(MODE, "-m", "MODE", "REDIRECT", "How inbound traffic is captured: REDIRECT (TPROXY is"
                    + " not supported)"),
            new Option("--include-inbound-ports", "-b", "PORTS", "*", "Inbound ports captured: * for all but the"
                    + " excluded, a list, or empty for none (traffic.sidecar.istio.io/includeInboundPorts)"),
            new Option("--exclude-inbound-ports", "-d", "PORTS", "15090,15021,15020", "Inbound ports left alone"),
            new Option("--include-outbound-ranges", "-i", "CIDRS", "*", "CIDRs whose outbound TCP is captured:"
                    + " *, a list, or empty for none (includeOutboundIPRanges; IPv6 ranges are left out)"),
            new Option("--exclude-outbound-ranges", "-x", "CIDRS", "",
                    "CIDRs never captured (excludeOutboundIPRanges)"),
            new Option("--exclude-outbound-ports", "-o", "PORTS", "",
                    "Outbound ports never captured (excludeOutboundPorts)"),
            new Option("--include-outbound-ports", "-q", "PORTS", "",
                    "Outbound ports always captured, whatever the address (includeOutboundPorts)"),
            new Option(LOG_LEVEL, null, "LEVELS", "default:info", "Istio's logging levels; none or error for"
                    + " default keep the command quiet unless it fails"));

    /** Returns the exit code: 0 printed or applied, 1 the rules were not applied, 2 bad usage. */
    public int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> values = new HashMap<>();
        OPTIONS.forEach(option -> values.put(option.name(), option.defaultValue()));
        boolean apply = appliesByDefault;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "-h", "--help" -> {
                    out.print(usage());
                    return 0;
                }
                case "--apply" -> apply = true;
                case "-n", "--dry-run" -> apply = false;
                case "--log_as_json" -> {
                    // one line of output: nothing to structure
                }
                default -> {
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
            }
        }
        CaptureRules rules;
        try {
            rules = rules(values, err);
        } catch (IllegalArgumentException e) {
            err.println(errorPrefix + ": " + e.getMessage());
            return 2;
        }
        if (!apply) {
            out.print(rules.iptablesRestore());
            return 0;
        }
        Optional<String> failed = rules.apply(missingIptables);
        if (failed.isPresent()) {
            err.println(errorPrefix + ": the rules were not applied: " + failed.get());
            return 1;
        }
        if (!quiet(values.get(LOG_LEVEL))) {
            out.println(errorPrefix + ": capture rules applied (inbound to " + rules.inboundPort() + ", outbound to "
                    + rules.outboundPort() + ", proxy uid " + rules.proxyUid() + " / gid " + rules.proxyGid()
                    + " exempt)");
        }
        return 0;
    }

    private CaptureRules rules(Map<String, String> values, PrintStream err) {
        String mode = values.get(MODE).strip();
        if (!mode.equals("REDIRECT")) {
            throw new IllegalArgumentException(MODE + " " + mode + ": only REDIRECT is supported");
        }
        int inboundPort = port(values.get("--inbound-capture-port"));
        int outboundPort = port(values.get("--outbound-capture-port"));
        List<Integer> excludedInbound = ports(values.get("--exclude-inbound-ports"));
        CaptureRules.Selection inbound = CaptureRules.Selection.parse(values.get("--include-inbound-ports"));
        inbound.listed().forEach(CaptureCommand::port);
        CaptureRules.Selection outbound = CaptureRules.Selection.parse(values.get("--include-outbound-ranges"));
        List<String> included = ipv4Ranges(outbound.listed(), "--include-outbound-ranges", err);
        List<String> excludedRanges = ipv4Ranges(CaptureRules.split(values.get("--exclude-outbound-ranges")),
                "--exclude-outbound-ranges", err);
        int uid = id(PROXY_UID, values.get(PROXY_UID));
        String gid = values.get(PROXY_GID);
        return new CaptureRules(uid, gid.isBlank() ? uid : id(PROXY_GID, gid), inboundPort, outboundPort,
                excludedInbound, inbound, outbound.all() ? outbound : new CaptureRules.Selection(false, included),
                excludedRanges, ports(values.get("--exclude-outbound-ports")),
                ports(values.get("--include-outbound-ports")));
    }

    private String usage() {
        StringBuilder usage = new StringBuilder("usage: " + name + " [--apply | -n] [OPTIONS]\n\n"
                + (appliesByDefault
                        ? "Installs the nat rules that redirect a workload's TCP traffic to its sidecar in the current\n"
                                + "network namespace (as root), as the istio-init container of an injected pod does,\n"
                                + "or with -n prints them in iptables-restore format. The short options are Istio's.\n\n"
                        : "Prints the nat rules that redirect a workload's TCP traffic to its sidecar (istio-iptables),\n"
                                + "in iptables-restore format, or with --apply installs them in the current network\n"
                                + "namespace (as root), as istio-init does in a pod (ip netns exec NS " + name
                                + " --apply).\n\n"));
        OPTIONS.forEach(option -> usage.append(option.help()));
        usage.append("  %-40s %s%n".formatted("    --apply", "Install the rules with iptables-restore --noflush."));
        usage.append("  %-40s %s%n".formatted("-n, --dry-run", "Print the rules instead of installing them."));
        usage.append("  %-40s %s%n".formatted("-h, --help", "Print this help."));
        return usage.toString();
    }

    /** Istio's {@code --log_output_level}: {@code default:none} or {@code default:error} silences success. */
    private static boolean quiet(String levels) {
        for (String scope : CaptureRules.split(levels)) {
            int colon = scope.indexOf(':');
            String level = colon < 0 ? scope : scope.substring(colon + 1);
            if (colon < 0 || scope.substring(0, colon).equals("default")) {
                return level.equals("none") || level.equals("error");
            }
        }
        return false;
    }

    /** A user or group id: iptables' owner match takes any number, and refuses what it cannot use. */
    private static int id(String option, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": " + value + " is not a number");
        }
    }

    private static List<Integer> ports(String list) {
        return CaptureRules.split(list).stream().map(CaptureCommand::port).toList();
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

    /**
     * The IPv4 ranges of a list. The nat table of iptables is IPv4's, so IPv6 traffic is never redirected and an IPv6
     * range, included or excluded, changes nothing: it is left out, with a word, as Istio's injector passes them on.
     */
    private List<String> ipv4Ranges(List<String> ranges, String option, PrintStream err) {
        List<String> ipv6 = ranges.stream().filter(range -> range.contains(":")).toList();
        if (!ipv6.isEmpty()) {
            err.println(errorPrefix + ": " + option + " " + String.join(",", ipv6) + " left out: IPv6 is not captured");
        }
        List<String> ipv4 = ranges.stream().filter(range -> !range.contains(":")).toList();
        for (String cidr : ipv4) {
            if (!cidr.matches("\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}")) {
                throw new IllegalArgumentException(option + ": " + cidr + " is not a CIDR");
            }
        }
        return ipv4;
    }
}
