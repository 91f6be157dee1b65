package io.tcpsim.tcp;

import java.time.Duration;
import java.util.Locale;

/**
 * The TCP behaviour a packetdrill script was written for or a capture was made by (the project
 * guide's profile table), as stack settings: one profile notion for {@code tcpsim drill} and
 * {@code tcpsim replay}. Linux is the stack's own; FreeBSD is the part of FreeBSD's defaults that
 * tcpsim's settings can express.
 */
public enum Profile {
    /** Linux's defaults, the stack's own ({@link TcpConfig#linuxDefaults}). */
    LINUX,
    /**
     * FreeBSD's defaults where tcpsim has a setting for them: window scale 6 (FreeBSD's
     * tcp_output() picks the smallest shift that covers sb_max, kern.ipc.maxsockbuf 2 MB, in a
     * window of 65535), 65536-byte receive and 32768-byte send buffers reported as they are
     * (net.inet.tcp.recvspace, sendspace) and rounded to the MSS once it is known, the first
     * window not rounded (65535), SYN and SYN-ACK options in tcp_addoptions()' order and padding,
     * no quick SYN retransmission after a RST for a bad ACK in SYN-SENT, the FIN repeated on
     * every acknowledgment while it is outstanding, FreeBSD's errors for a RST (ECONNREFUSED in
     * SYN-RECEIVED, ECONNRESET in CLOSE-WAIT), segments without ACK dropped in TIME-WAIT,
     * received data discarded after shutdown(SHUT_RD), a shutdown(SHUT_WR) from FIN-WAIT-2 on that
     * disconnects the socket, text on a SYN-ACK or crossed SYN kept, a request's RST window
     * without its right edge (syncache_chkrst()), FreeBSD's delayed ACK (100 ms, every second
     * segment at once),
     * FreeBSD's RTO ({@link RtoPolicy#FREEBSD}: tcp_xmit_timer()'s estimator, rexmit_slop 200 ms,
     * tcp_backoff[], TCPTV_REXMTMAX 64 s), 12 retransmissions of a SYN or of data
     * (TCP_MAXRXTSHIFT), the 75 s connection-establishment timer (net.inet.tcp.keepinit) and its
     * TCP_KEEPINIT option; RFC 5961 is on in both. Not expressible yet: receive-buffer
     * autosizing; see docs/drill.md.
     */
    FREEBSD;

    /** FreeBSD TCPTV_REXMTMAX, TCP_MAXRXTSHIFT and TCPTV_KEEP_INIT (tcp_timer.h). */
    private static final Duration BSD_REXMT_MAX = Duration.ofSeconds(64);
    private static final int BSD_MAX_RXT_SHIFT = 12;
    private static final Duration BSD_KEEPINIT = Duration.ofSeconds(75);

    /** The stack's TCP settings for this profile on a link of {@code mtu} bytes. */
    public TcpConfig tcpConfig(int mtu) {
        TcpConfig linux = TcpConfig.linuxDefaults(mtu);
        return switch (this) {
            case LINUX -> linux;
            case FREEBSD -> linux.withWindowScale(6).withBufferRules(BufferRules.FREEBSD)
                    .withBuffers(65_536, 32_768).withSynRetries(BSD_MAX_RXT_SHIFT).withOptionLayout(OptionLayout.FREEBSD)
                    .withQuickSynRetry(false).withAckRepeatsFin(true)
                    .withResetErrors(ResetErrors.FREEBSD).withTimeWaitNeedsAck(true)
                    .withShutdownReadDiscards(true).withLateShutdownDisconnects(true)
                    .withSynTextKept(true).withRequestRstAtWindowEnd(false)
                    .withBsdDelayedAck(true).withRtoPolicy(RtoPolicy.FREEBSD).withRtoMax(BSD_REXMT_MAX)
                    .withRetries2(BSD_MAX_RXT_SHIFT).withKeepInit(BSD_KEEPINIT);
        };
    }

    /** The name on the command line and in profile files: "linux", "freebsd". */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The profile called {@code name} (case-insensitive); IllegalArgumentException naming the choices. */
    public static Profile named(String name) {
        for (Profile p : values()) {
            if (p.label().equalsIgnoreCase(name.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown profile '" + name + "' (linux or freebsd)");
    }
}
