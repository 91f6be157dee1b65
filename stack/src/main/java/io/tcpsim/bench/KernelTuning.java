package io.tcpsim.bench;

import io.tcpsim.tun.NetNamespace;
import java.io.IOException;

/**
 * The kernel-side settings every benchmark namespace gets: the whole port range for the
 * connection workloads, TIME-WAIT reuse, and accept queues deep enough for a burst of connects.
 */
final class KernelTuning {

    private KernelTuning() {
    }

    static void apply(NetNamespace namespace) throws IOException {
        namespace.sysctl("net.ipv4.ip_local_port_range", "1024 65535");
        namespace.sysctl("net.ipv4.tcp_tw_reuse", "1");
        namespace.sysctl("net.core.somaxconn", "8192");
        namespace.sysctl("net.ipv4.tcp_max_syn_backlog", "8192");
    }

    /** "retransmitted N, dropped by IFNAME N" for the kernel side of a namespace. */
    static String counters(String namespace, String ifName) throws IOException {
        String snmp = Shell.output("ip", "netns", "exec", namespace, "cat", "/proc/net/snmp");
        String dropped = Shell.output("ip", "netns", "exec", namespace, "cat",
                "/sys/class/net/" + ifName + "/statistics/tx_dropped");
        return "kernel retransmitted " + retransSegs(snmp) + ", " + ifName + " dropped " + dropped;
    }

    /** The RetransSegs column of the Tcp lines of {@code /proc/net/snmp}. */
    private static String retransSegs(String snmp) {
        String[] header = null;
        for (String line : snmp.split("\n")) {
            if (!line.startsWith("Tcp:")) {
                continue;
            }
            String[] fields = line.trim().split("\\s+");
            if (header == null) {
                header = fields;
            } else {
                for (int i = 0; i < header.length && i < fields.length; i++) {
                    if (header[i].equals("RetransSegs")) {
                        return fields[i];
                    }
                }
            }
        }
        return "?";
    }
}
