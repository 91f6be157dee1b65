package io.tcpsim.drill;

import io.tcpsim.tcp.TcpConfig;
import java.util.Locale;

/**
 * The TCP behaviour a script was written for (the project guide's profile table). Linux is the
 * stack's own; FreeBSD is the part of FreeBSD's defaults that tcpsim's settings can express.
 */
public enum Profile {
    /** Linux's defaults, the stack's own ({@link TcpConfig#linuxDefaults}). */
    LINUX,
    /**
     * FreeBSD's defaults where tcpsim has a setting for them: window scale 6
     * (net.inet.tcp.recvspace 65536 needs no more), 65536-byte receive and 32768-byte send
     * buffers (net.inet.tcp.recvspace, sendspace), 12 SYN retransmissions (TCP_MAXRXTSHIFT);
     * RFC 5961 is on in both. Not expressible yet: FreeBSD's SYN and SYN-ACK option layout (EOL
     * padding), its unrounded 65535 window and its backoff table; see docs/drill.md.
     */
    FREEBSD;

    /** The stack's TCP settings for this profile on a link of {@code mtu} bytes. */
    public TcpConfig tcpConfig(int mtu) {
        TcpConfig linux = TcpConfig.linuxDefaults(mtu);
        return switch (this) {
            case LINUX -> linux;
            case FREEBSD -> linux.withWindowScale(6).withBuffers(65_536, 32_768).withSynRetries(12);
        };
    }

    /** The name on the command line and in profile files: "linux", "freebsd". */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The profile called {@code name} (case-insensitive). */
    public static Profile named(String name) {
        for (Profile p : values()) {
            if (p.label().equalsIgnoreCase(name.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown profile '" + name + "' (linux or freebsd)");
    }
}
