package io.tcpsim.replay;

import io.tcpsim.pcap.Segment;
import io.tcpsim.tcp.Profile;
import io.tcpsim.tcp.TcpConfig;
import io.tcpsim.wire.TcpPacket;
import java.util.ArrayList;
import java.util.List;

/**
 * tcpsim's configuration for a replay: the profile's, with what the captured host's SYN (or
 * SYN-ACK) says about the host rather than about TCP: its interface MTU (the MSS it announced
 * plus 40, or plus 60 when that SYN came over IPv6, so that tcpsim announces the same MSS),
 * whether it has timestamps on (net.ipv4.tcp_timestamps) and SACK on (net.ipv4.tcp_sack,
 * FreeBSD's net.inet.tcp.sack.enable), and the window scale it chose (Linux derives it from the
 * receive-buffer limits).
 *
 * @param mtu   the MTU of tcpsim's link
 * @param tcp   tcpsim's TCP settings
 * @param notes each setting taken from the capture, in words
 */
public record ReplaySettings(int mtu, TcpConfig tcp, List<String> notes) {
    static final int DEFAULT_MTU = 1500;
    private static final int MIN_MTU = 576;
    private static final int MAX_MTU = 0xFFFF;
    private static final int IPV4_TCP_HEADERS = 40;
    private static final int IPV6_TCP_HEADERS = 60;

    public ReplaySettings {
        notes = List.copyOf(notes);
    }

    /**
     * The settings for {@code profile} given the captured side's first SYN or SYN-ACK (null when
     * the capture has none) and the peer's SYN it answered (null when none); without a SYN, the
     * MTU fits {@code midStreamMss} over IPv6 when {@code midStreamIpv6}, else over IPv4.
     */
    static ReplaySettings from(Profile profile, Segment capturedSyn, Segment peerSyn, int midStreamMss,
                               boolean midStreamIpv6) {
        List<String> notes = new ArrayList<>();
        if (capturedSyn == null) {
            int mtu = clampMtu(midStreamMss + (midStreamIpv6 ? IPV6_TCP_HEADERS : IPV4_TCP_HEADERS));
            notes.add("MTU " + mtu + " (no SYN from the captured side: from the largest segment seen)");
            return new ReplaySettings(mtu, profile.tcpConfig(mtu), notes);
        }
        int headers = capturedSyn.ipv6() ? IPV6_TCP_HEADERS : IPV4_TCP_HEADERS;
        int mss = capturedSyn.mss().orElse(DEFAULT_MTU - headers);
        int mtu = clampMtu(mss + headers);
        notes.add("MTU " + mtu + " (the captured " + (capturedSyn.has(TcpPacket.ACK) ? "SYN-ACK" : "SYN")
                + (capturedSyn.ipv6() ? " over IPv6" : "") + " announced MSS "
                + capturedSyn.mss().map(String::valueOf).orElse("none") + ")");
        TcpConfig tcp = profile.tcpConfig(mtu);
        boolean offered = capturedSyn.timestamps().isPresent();
        boolean peerOffered = peerSyn == null || peerSyn.timestamps().isPresent();
        if (!offered && peerOffered) {
            tcp = tcp.withTimestamps(false);
            notes.add("timestamps off (the captured host did not use them)");
        } else {
            notes.add("timestamps on");
        }
        if (!capturedSyn.sackPermitted() && (peerSyn == null || peerSyn.sackPermitted())) {
            tcp = tcp.withSack(false);
            notes.add("SACK off (the captured host did not use it)");
        }
        if (capturedSyn.windowScale().isPresent()) {
            int shift = Math.min(capturedSyn.windowScale().get(), TcpConfig.MAX_WINDOW_SCALE);
            tcp = tcp.withWindowScale(shift);
            notes.add("window scale " + shift + " (as the captured host chose)");
        }
        return new ReplaySettings(mtu, tcp, notes);
    }

    private static int clampMtu(int mtu) {
        return Math.max(MIN_MTU, Math.min(MAX_MTU, mtu));
    }
}
