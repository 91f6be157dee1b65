package io.tcpsim.control;

import io.tcpsim.ip.IpCounters;
import io.tcpsim.ip.IpDrop;
import io.tcpsim.socket.SystemFiles;
import io.tcpsim.tcp.TcpCounters;
import io.tcpsim.udp.UdpCounters;
import io.tcpsim.wire.Malformed;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code nstat -a} for one stack: the IP, TCP and UDP counters under Linux's names, the socket
 * layer's files ({@link SystemFiles#snapshot}), then tcpsim's drop reasons ({@code Malformed.*},
 * {@code Drop.*}). Like nstat, counters at 0 are left out unless asked for (-z).
 * {@link #snapshot} runs on the stack thread.
 */
public final class CounterTable {
    private static final int NAME_WIDTH = 32;

    private CounterTable() {
    }

    /** Name to value, in a stable order; zeros only when {@code zeros}. */
    public static Map<String, Long> snapshot(IpCounters ip, TcpCounters tcp, UdpCounters udp, SystemFiles files,
                                             boolean zeros) {
        Map<String, Long> all = new LinkedHashMap<>();
        ip.snapshot().forEach((name, value) -> {
            if (!name.startsWith("Malformed.") && !name.startsWith("Drop.")) {
                all.put(name, value);
            }
        });
        all.putAll(tcp.snapshot());
        all.putAll(udp.snapshot());
        all.putAll(files.snapshot());
        for (Malformed reason : Malformed.values()) {
            all.put("Malformed." + reason.name(), ip.malformed(reason));
        }
        for (IpDrop reason : IpDrop.values()) {
            all.put("Drop." + reason.name(), ip.dropped(reason));
        }
        if (!zeros) {
            all.values().removeIf(v -> v == 0);
        }
        return all;
    }

    /**
     * The counters of several stacks that are one host (shards), each snapshot taken with zeros,
     * summed name by name in the first one's order; zeros kept only when {@code zeros}.
     */
    public static Map<String, Long> sum(List<Map<String, Long>> snapshots, boolean zeros) {
        Map<String, Long> total = new LinkedHashMap<>();
        snapshots.forEach(snapshot -> snapshot.forEach((name, value) -> total.merge(name, value, Long::sum)));
        if (!zeros) {
            total.values().removeIf(v -> v == 0);
        }
        return total;
    }

    /** nstat's layout: a header line, then the name padded to 32 columns and the value. */
    public static String render(Map<String, Long> counters) {
        StringBuilder out = new StringBuilder("#tcpsim\n");
        counters.forEach((name, value) -> out.append(name).append(" ".repeat(Math.max(1, NAME_WIDTH - name.length())))
                .append(value).append('\n'));
        return out.toString();
    }
}
