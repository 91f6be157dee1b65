package io.tcpsim.replay;

import io.tcpsim.pcap.CaptureSummary;
import io.tcpsim.pcap.Samples;
import io.tcpsim.wire.TcpPacket;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which sides of which captures a Linux kernel sent (from shared/pcaps/INDEX.md and how
 * pcap-samples/ were made), and which of their segments are handshake and close segments.
 */
final class LinuxSides {
    private static final Set<Role> BOTH = EnumSet.allOf(Role.class);
    private static final Set<Role> CLIENT = EnumSet.of(Role.CLIENT);
    private static final Set<Role> SERVER = EnumSet.of(Role.SERVER);
    /** shared/pcaps: the Linux sides (INDEX.md "stacks"); macOS and Windows captures have none. */
    private static final Map<String, Set<Role>> SHARED = Map.ofEntries(
            Map.entry("linux-lo-http-client-close.pcap", BOTH),
            Map.entry("linux-lo-http-server-close-2conns.pcap", BOTH),
            Map.entry("linux-lo-redis-sll-client-close.pcap", BOTH),
            Map.entry("linux-lo-http-linktype-ipv4-228.pcap", BOTH),
            Map.entry("linux-client-whois-server-close.pcap", CLIENT),
            Map.entry("linux-handshake-only-nanosec-sll.pcap", CLIENT),
            Map.entry("linux-syn-to-closed-port-rst.pcap", BOTH),
            Map.entry("linux-client-refused-then-http-bulk.pcap", CLIENT),
            Map.entry("linux-ipv6-http-linktype-raw-101.pcap", CLIENT),
            Map.entry("linux-ipv6-ula-tls-server-close.pcap", BOTH),
            Map.entry("linux-linktype-ipv4-228-client-rst-idle.pcap", BOTH),
            Map.entry("linux-lo-client-abortive-close-rst.pcap", BOTH),
            Map.entry("linux-lo-curl-server-rst-after-response.pcap", BOTH),
            Map.entry("linux-zero-window-probes-midstream.pcapng", BOTH),
            Map.entry("linux-zero-window-probes-midstream.converted.pcap", BOTH),
            Map.entry("linux-lo-ipv6-zero-window-update.pcap", BOTH),
            Map.entry("linux-netcat-shell-session.pcap", BOTH),
            Map.entry("linux-lo-ipv6-short-session.pcap", BOTH),
            Map.entry("linux-tcp-fast-open.pcap", BOTH),
            Map.entry("telnet-cooked-linux-client-openbsd-server.pcap", CLIENT));

    private LinuxSides() {
    }

    /** A capture and a side of it that Linux sent. */
    record Side(String name, Path capture, Role role) {
        @Override
        public String toString() {
            return name + " as " + role.word();
        }
    }

    /** Every Linux side: pcap-samples' linux-* both, tcpsim-server-* the client, tcpsim-client-* the server. */
    static List<Side> all() throws IOException {
        List<Side> sides = new ArrayList<>();
        for (Path p : Samples.recorded()) {
            String name = p.getFileName().toString();
            Set<Role> roles = name.startsWith("linux-") ? BOTH : name.startsWith("tcpsim-server-") ? CLIENT : SERVER;
            roles.forEach(r -> sides.add(new Side(name, p, r)));
        }
        for (Path p : Samples.shared()) {
            String name = p.getFileName().toString();
            SHARED.getOrDefault(name, Set.of()).forEach(r -> sides.add(new Side(name, p, r)));
        }
        return sides;
    }

    static ReplayResult replay(Side side) throws IOException {
        CaptureSummary s = CaptureSummary.read(side.capture(), null);
        return Replayer.replay(s, s.conversations(), ReplayOptions.defaults().as(side.role()));
    }

    /** A handshake or close segment of the captured side tcpsim does not match on flags, relative seq and ack. */
    record Mismatch(String capture, Role role, int conversation, int frame, String captured, Verdict verdict,
                    Cause cause) {
    }

    static List<Mismatch> mismatches(Side side, ReplayResult result) {
        List<Mismatch> found = new ArrayList<>();
        for (ConversationResult c : result.conversations()) {
            long peerFinAck = -1;
            boolean handshakeAckSeen = false;
            boolean finAckSeen = false;
            for (Row row : c.rows()) {
                if (row.verdict() == Verdict.INJECTED && row.captured().has(TcpPacket.FIN) && peerFinAck < 0) {
                    peerFinAck = row.captured().relSeq() + row.captured().payloadLength() + 1;
                }
                if (row.captured() == null || row.verdict() == Verdict.INJECTED) {
                    continue;
                }
                SegView seg = row.captured();
                boolean handshakeAck = side.role() == Role.CLIENT && !handshakeAckSeen && !seg.has(TcpPacket.SYN)
                        && seg.has(TcpPacket.ACK) && seg.relAck() == 1;
                handshakeAckSeen |= handshakeAck;
                boolean finAck = seg.pureAck() && !finAckSeen && seg.relAck() == peerFinAck;
                finAckSeen |= finAck;
                boolean control = seg.has(TcpPacket.SYN) || seg.has(TcpPacket.FIN) || seg.has(TcpPacket.RST);
                if ((control || handshakeAck || finAck) && !matchesFlagsSeqAck(row)) {
                    found.add(new Mismatch(side.name(), side.role(), c.conversation().number(), row.frame(),
                            seg.label(), row.verdict(), row.cause()));
                }
            }
        }
        return found;
    }

    private static boolean matchesFlagsSeqAck(Row row) {
        return row.verdict() == Verdict.MATCHED || row.verdict() == Verdict.DIFFERS
                && row.differences().stream().noneMatch(d -> Set.of("flags", "seq", "ack").contains(d.field()));
    }
}
