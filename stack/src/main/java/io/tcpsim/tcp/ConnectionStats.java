package io.tcpsim.tcp;

/**
 * Per-connection statistics for TCP_INFO and {@code ss -i} (RFC 4898 TCP ESTATS names, as Linux's
 * tcp_sock keeps them): segments and bytes in and out, retransmissions, timeouts, and when data
 * and ACKs last arrived. Updated where Linux updates its fields; only the stack thread touches it.
 */
final class ConnectionStats {
    /** When the connection was created (Linux starts lsndtime, lrcvtime and rcv_tstamp there). */
    long createdAt;
    /** Segments built for the peer, retransmissions included (tcpEStatsPerfSegsOut). */
    long segsOut;
    /** Segments with data among them (tcpEStatsDataSegsOut). */
    long dataSegsOut;
    /** Segments the connection received (tcpEStatsPerfSegsIn); a passive child counts its SYN. */
    long segsIn;
    long dataSegsIn;
    /** Data bytes sent, retransmissions included (tcpEStatsPerfHCDataOctetsOut). */
    long bytesSent;
    /** Data bytes sent again (tcpEStatsPerfOctetsRetrans). */
    long bytesRetrans;
    /** Sequence space the peer acknowledged, FIN and (active open) SYN included (tcpEStatsAppHCThruOctetsAcked). */
    long bytesAcked;
    /** Sequence space received in order, FIN included (tcpEStatsAppHCThruOctetsReceived). */
    long bytesReceived;
    /** Segments sent again for any reason, SYN and SYN-ACK included (Linux total_retrans). */
    long totalRetrans;
    /** Retransmission timer expiries that sent something, SYN ones included (Linux total_rto). */
    long totalRto;
    /** Timeouts that started a loss recovery (Linux total_rto_recoveries). */
    long totalRtoRecoveries;
    /** Segments that arrived beyond a gap (Linux rcv_ooopack). */
    long rcvOooPack;
    /** When data last arrived (Linux icsk_ack.lrcvtime). */
    long lastDataRecvAt;
    /** When an acceptable ACK last arrived (Linux rcv_tstamp). */
    long lastAckRecvAt;

    /** The connection is created at {@code now}: the clocks of the last-event times start. */
    void open(long now) {
        createdAt = now;
        lastDataRecvAt = now;
        lastAckRecvAt = now;
    }
}
