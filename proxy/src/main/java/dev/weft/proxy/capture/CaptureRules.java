package dev.weft.proxy.capture;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Transparent capture as istio-iptables sets it up in a workload's network namespace, as an
 * {@code iptables-restore} input for the nat table: inbound TCP is redirected to the sidecar's inbound port
 * except the sidecar's own ports; outbound TCP is redirected to its outbound port except traffic of the
 * proxy's own user and group (so the proxy's connections leave) and traffic to 127.0.0.1. Traffic the proxy
 * sends to its own workload over loopback (to an address other than 127.0.0.1) goes back through inbound, as
 * in Istio. The proxy reads the original destination with SO_ORIGINAL_DST.
 *
 * <p>Istio's {@code traffic.sidecar.istio.io} sets narrow it: only some inbound ports captured
 * ({@code inbound}), only some outbound CIDRs ({@code outboundRanges}), some CIDRs and ports never
 * ({@code excludeOutboundRanges}, {@code excludeOutboundPorts}), some ports always, whatever their address
 * ({@code includeOutboundPorts}). IPv4 only (the nat table of iptables).
 */
public record CaptureRules(int proxyUid, int proxyGid, int inboundPort, int outboundPort, List<Integer> excludeInbound,
        Selection inbound, Selection outboundRanges, List<String> excludeOutboundRanges,
        List<Integer> excludeOutboundPorts, List<Integer> includeOutboundPorts) {

    /** Istio's defaults: proxy uid/gid 1337, 15006 inbound, 15001 outbound; 15090, 15021, 15020 not captured. */
    public static final CaptureRules ISTIO = new CaptureRules(1337, 1337, 15006, 15001, List.of(15090, 15021, 15020));

    public CaptureRules {
        excludeInbound = List.copyOf(excludeInbound);
        excludeOutboundRanges = List.copyOf(excludeOutboundRanges);
        excludeOutboundPorts = List.copyOf(excludeOutboundPorts);
        includeOutboundPorts = List.copyOf(includeOutboundPorts);
    }

    /** Everything captured but the proxy's own traffic and the excluded inbound ports. */
    public CaptureRules(int proxyUid, int proxyGid, int inboundPort, int outboundPort, List<Integer> excludeInbound) {
        this(proxyUid, proxyGid, inboundPort, outboundPort, excludeInbound, Selection.ALL, Selection.ALL, List.of(),
                List.of(), List.of());
    }

    /** What a set captures, as istio-iptables reads it: {@code *} everything, a comma-separated list, or nothing. */
    public record Selection(boolean all, List<String> listed) {

        public static final Selection ALL = new Selection(true, List.of());

        public Selection {
            listed = List.copyOf(listed);
        }

        public static Selection parse(String value) {
            String trimmed = value.strip();
            return trimmed.equals("*") ? ALL : new Selection(false, split(trimmed));
        }
    }

    /** The non-empty items of a comma-separated list. */
    public static List<String> split(String list) {
        return Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * Installs the rules in the caller's network namespace; the reason when iptables-restore refused them, or when it
     * is not installed, with {@code whatToDoWithout} (installing it means something else on a host and in an image).
     */
    public Optional<String> apply(String whatToDoWithout) {
        Optional<Path> restore = HostCommand.find("iptables-restore");
        if (restore.isEmpty()) {
            return Optional.of("iptables-restore is not installed here (not on PATH, /usr/sbin, /sbin); "
                    + whatToDoWithout);
        }
        HostCommand.Result result = HostCommand.run(List.of(restore.get().toString(), "--noflush"), iptablesRestore());
        return result.ok() ? Optional.empty()
                : Optional.of(result.output().isEmpty() ? "exit status " + result.exitCode() : result.output());
    }

    public String iptablesRestore() {
        List<String> lines = new ArrayList<>();
        lines.add("*nat");
        for (String chain : List.of("ISTIO_INBOUND", "ISTIO_REDIRECT", "ISTIO_IN_REDIRECT", "ISTIO_OUTPUT")) {
            lines.add(":" + chain + " - [0:0]");
        }
        lines.add("-A PREROUTING -p tcp -j ISTIO_INBOUND");
        lines.add("-A OUTPUT -p tcp -j ISTIO_OUTPUT");
        if (inbound.all()) {
            for (int port : excludeInbound) {
                lines.add("-A ISTIO_INBOUND -p tcp --dport " + port + " -j RETURN");
            }
            lines.add("-A ISTIO_INBOUND -p tcp -j ISTIO_IN_REDIRECT");
        } else {
            for (String port : inbound.listed()) {
                lines.add("-A ISTIO_INBOUND -p tcp --dport " + port + " -j ISTIO_IN_REDIRECT");
            }
        }
        lines.add("-A ISTIO_IN_REDIRECT -p tcp -j REDIRECT --to-ports " + inboundPort);
        lines.add("-A ISTIO_REDIRECT -p tcp -j REDIRECT --to-ports " + outboundPort);
        for (int port : excludeOutboundPorts) {
            lines.add("-A ISTIO_OUTPUT -p tcp --dport " + port + " -j RETURN");
        }
        lines.add("-A ISTIO_OUTPUT -o lo -s 127.0.0.6/32 -j RETURN");
        for (String owner : List.of("--uid-owner " + proxyUid, "--gid-owner " + proxyGid)) {
            lines.add("-A ISTIO_OUTPUT -o lo ! -d 127.0.0.1/32 -m owner " + owner + " -j ISTIO_IN_REDIRECT");
            lines.add("-A ISTIO_OUTPUT -o lo -m owner ! " + owner + " -j RETURN");
            lines.add("-A ISTIO_OUTPUT -m owner " + owner + " -j RETURN");
        }
        lines.add("-A ISTIO_OUTPUT -d 127.0.0.1/32 -j RETURN");
        for (String range : excludeOutboundRanges) {
            lines.add("-A ISTIO_OUTPUT -d " + range + " -j RETURN");
        }
        for (int port : includeOutboundPorts) {
            lines.add("-A ISTIO_OUTPUT -p tcp --dport " + port + " -j ISTIO_REDIRECT");
        }
        if (outboundRanges.all()) {
            lines.add("-A ISTIO_OUTPUT -j ISTIO_REDIRECT");
        } else {
            for (String range : outboundRanges.listed()) {
                lines.add("-A ISTIO_OUTPUT -d " + range + " -j ISTIO_REDIRECT");
            }
        }
        lines.add("COMMIT");
        return String.join("\n", lines) + "\n";
    }
}
