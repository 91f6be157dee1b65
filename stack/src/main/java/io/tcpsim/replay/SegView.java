package io.tcpsim.replay;

import io.tcpsim.pcap.SegmentLabel;
import io.tcpsim.wire.TcpOption;
import io.tcpsim.wire.TcpPacket;
import java.util.List;

/**
 * A segment as a replay compares it: sequence number relative to its sender's ISN, acknowledgment
 * relative to the receiver's, time relative to the replay's start.
 *
 * @param relNanos      time since the first replayed packet
 * @param flags         control bits
 * @param relSeq        sequence number minus the sender's base
 * @param relAck        acknowledgment number minus the receiver's base (0 without ACK)
 * @param window        window field
 * @param payloadLength payload bytes
 * @param options       options as sent
 */
public record SegView(long relNanos, int flags, long relSeq, long relAck, int window, int payloadLength,
                      List<TcpOption> options) {
    public SegView {
        options = List.copyOf(options);
    }

    static SegView of(long relNanos, int flags, int seq, int ack, int window, int payloadLength,
                      List<TcpOption> options, int seqBase, int ackBase) {
        long relAck = (flags & TcpPacket.ACK) != 0 ? Integer.toUnsignedLong(ack - ackBase) : 0;
        return new SegView(relNanos, flags, Integer.toUnsignedLong(seq - seqBase), relAck, window, payloadLength,
                options);
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** The option kinds present, sorted, without NOP and EOL: what "which options" compares. */
    public List<String> optionKinds() {
        return SegmentLabel.optionKinds(options).stream().distinct().sorted().toList();
    }

    /** True for an ACK with no data, SYN, FIN or RST. */
    public boolean pureAck() {
        return payloadLength == 0 && has(TcpPacket.ACK) && !has(TcpPacket.SYN) && !has(TcpPacket.FIN)
                && !has(TcpPacket.RST);
    }

    /** The compact label, as the ladders print it. */
    public String label() {
        return SegmentLabel.compact(flags, relSeq, relAck, window, payloadLength, options);
    }

    /** What sort of segment this is, for pairing captured and tcpsim segments. */
    Kind kind() {
        if (has(TcpPacket.RST)) {
            return Kind.RESET;
        } else if (has(TcpPacket.SYN)) {
            return has(TcpPacket.ACK) ? Kind.SYN_ACK : Kind.SYN;
        } else if (has(TcpPacket.FIN)) {
            return Kind.FIN;
        }
        return payloadLength > 0 ? Kind.DATA : Kind.ACK;
    }

    enum Kind { SYN, SYN_ACK, RESET, FIN, DATA, ACK }
}
