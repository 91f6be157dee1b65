package io.tcpsim.tcp;

import io.tcpsim.wire.TcpOption;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A segment under construction, for {@link TcbHarness#send} and {@link TcbHarness#expect}: every
 * field explicit, options in the order given (no implicit padding), ports filled in by the
 * harness unless set here.
 */
final class Seg {
    private Integer srcPort;
    private Integer dstPort;
    private int seq;
    private int ack;
    private int flags;
    private int window;
    private int urgentPointer;
    private final List<TcpOption> options = new ArrayList<>();
    private byte[] payload = new byte[0];

    static Seg seg() {
        return new Seg();
    }

    Seg syn() {
        flags |= TcpPacket.SYN;
        return this;
    }

    Seg fin() {
        flags |= TcpPacket.FIN;
        return this;
    }

    Seg rst() {
        flags |= TcpPacket.RST;
        return this;
    }

    Seg psh() {
        flags |= TcpPacket.PSH;
        return this;
    }

    /** Sets the URG flag and the urgent pointer. */
    Seg urg(int pointer) {
        flags |= TcpPacket.URG;
        urgentPointer = pointer;
        return this;
    }

    /** Sets the ACK flag and the acknowledgment number. */
    Seg ack(int value) {
        flags |= TcpPacket.ACK;
        ack = value;
        return this;
    }

    /** An acknowledgment number without the ACK flag (a field some stacks leave non-zero). */
    Seg ackField(int value) {
        ack = value;
        return this;
    }

    Seg seq(int value) {
        seq = value;
        return this;
    }

    Seg win(int value) {
        window = value;
        return this;
    }

    Seg mss(int value) {
        options.add(new TcpOption.MaxSegmentSize(value));
        return this;
    }

    Seg nop() {
        options.add(TcpOption.NOP);
        return this;
    }

    Seg wscale(int shift) {
        options.add(new TcpOption.WindowScale(shift));
        return this;
    }

    Seg sackOk() {
        options.add(TcpOption.SACK_PERMITTED);
        return this;
    }

    /** A SACK option with the blocks given as left, right pairs (RFC 2018 §3). */
    Seg sack(int... edges) {
        List<TcpOption.SackBlock> blocks = new ArrayList<>();
        for (int i = 0; i + 1 < edges.length; i += 2) {
            blocks.add(new TcpOption.SackBlock(edges[i], edges[i + 1]));
        }
        options.add(new TcpOption.Sack(blocks));
        return this;
    }

    Seg ts(int val, int ecr) {
        options.add(new TcpOption.Timestamps(val, ecr));
        return this;
    }

    Seg payload(String text) {
        return payload(text.getBytes(StandardCharsets.US_ASCII));
    }

    Seg payload(byte[] bytes) {
        payload = bytes.clone();
        return this;
    }

    Seg ports(int src, int dst) {
        srcPort = src;
        dstPort = dst;
        return this;
    }

    TcpRepr build(int defaultSrcPort, int defaultDstPort) {
        return new TcpRepr(srcPort != null ? srcPort : defaultSrcPort, dstPort != null ? dstPort : defaultDstPort,
                seq, ack, flags, window, urgentPointer, options, MemorySegment.ofArray(payload));
    }
}
