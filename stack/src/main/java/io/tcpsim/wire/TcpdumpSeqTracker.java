package io.tcpsim.wire;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * tcpdump's relative sequence numbers (print-tcp.c, tcp_seq_hash): one entry per conversation,
 * keyed by the 4-tuple in a fixed collating order so both directions share it. A segment with ACK
 * set either records the conversation's initial numbers (first segment seen, or any SYN; the line
 * then shows absolute numbers) or has them subtracted. Segments without ACK always show absolute.
 */
final class TcpdumpSeqTracker {
    private record Key(String src, String dst, int ports) {
    }

    /** Initial numbers of the side that sorts first ({@code seq}) and of its peer ({@code ack}). */
    private record Initial(int seq, int ack) {
    }

    /**
     * Numbers to print for one segment.
     *
     * @param seq      sequence number to print
     * @param ack      acknowledgment number to print
     * @param sackBase subtracted from SACK block edges
     */
    record Numbers(int seq, int ack, int sackBase) {
        static Numbers absolute(int seq, int ack) {
            return new Numbers(seq, ack, 0);
        }
    }

    private final Map<Key, Initial> conversations = new HashMap<>();

    /** Mirrors tcp_print(): the numbers to print for a segment that has ACK set. */
    Numbers relativize(byte[] srcAddr, byte[] dstAddr, int srcPort, int dstPort, int seq, int ack, boolean syn) {
        boolean reversed = srcPort > dstPort
                || srcPort == dstPort && Arrays.compareUnsigned(srcAddr, dstAddr) > 0;
        HexFormat hex = HexFormat.of();
        Key key = reversed
                ? new Key(hex.formatHex(dstAddr), hex.formatHex(srcAddr), dstPort << 16 | srcPort)
                : new Key(hex.formatHex(srcAddr), hex.formatHex(dstAddr), srcPort << 16 | dstPort);
        Initial initial = conversations.get(key);
        if (initial == null || syn) {
            initial = reversed ? new Initial(ack - 1, seq) : new Initial(seq, ack - 1);
            conversations.put(key, initial);
            return new Numbers(seq, ack, reversed ? initial.seq : initial.ack);
        }
        return reversed
                ? new Numbers(seq - initial.ack, ack - initial.seq, initial.seq)
                : new Numbers(seq - initial.seq, ack - initial.ack, initial.ack);
    }
}
