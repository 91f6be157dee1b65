package io.tcpsim.bench;

import io.tcpsim.link.LinkDevice;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The link of {@link StackPathBenchmark}: one off-heap packet waiting to be received (what a TUN
 * read copies into the stack's buffer), and a transmit that only notes the TCP sequence, ACK and
 * headers of what the stack sent, as a peer would, so that a benchmark can answer it.
 * Nothing is allocated per packet. IPv4 without options.
 */
final class BenchLink implements LinkDevice {
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int TCP = 20;

    private final MemorySegment inbound = Arena.ofAuto().allocate(65_536, 64);
    private int inboundLength;
    private int transmitted;
    private int lastSeq;
    private int lastSegmentEnd;
    private int lastAck;
    private final MemorySegment lastHeaders = Arena.ofAuto().allocate(TCP + 60);

    /** Makes {@code packet} the next packet received. */
    void inject(MemorySegment packet, int length) {
        MemorySegment.copy(packet, 0, inbound, 0, length);
        inboundLength = length;
    }

    void inject(byte[] packet) {
        inject(MemorySegment.ofArray(packet), packet.length);
    }

    /** Packets transmitted so far. */
    int transmitted() {
        return transmitted;
    }

    /** SEG.SEQ of the last TCP segment sent. */
    int lastSeq() {
        return lastSeq;
    }

    /** SEG.SEQ + SEG.LEN (without SYN or FIN) of the last TCP segment sent. */
    int lastSegmentEnd() {
        return lastSegmentEnd;
    }

    int lastAck() {
        return lastAck;
    }

    /** TSval of the last segment sent (0 without the timestamps option). */
    int lastTsVal() {
        int end = TCP + (lastHeaders.get(ValueLayout.JAVA_BYTE, TCP + 12) >>> 4 & 0xF) * 4;
        int at = TCP + 20;
        while (at < end) {
            int kind = lastHeaders.get(ValueLayout.JAVA_BYTE, at);
            if (kind == 0) {
                break;
            }
            if (kind == 1) {
                at++;
                continue;
            }
            if (kind == 8) {
                return lastHeaders.get(U32, at + 2);
            }
            at += lastHeaders.get(ValueLayout.JAVA_BYTE, at + 1);
        }
        return 0;
    }

    @Override
    public int mtu() {
        return 1500;
    }

    @Override
    public int receive(MemorySegment buffer) {
        int length = inboundLength;
        if (length == 0) {
            return 0;
        }
        MemorySegment.copy(inbound, 0, buffer, 0, length);
        inboundLength = 0;
        return length;
    }

    @Override
    public void transmit(MemorySegment packet) {
        transmitted++;
        int total = Short.toUnsignedInt(packet.get(U16, 2));
        int dataOffset = (packet.get(ValueLayout.JAVA_BYTE, TCP + 12) >>> 4 & 0xF) * 4;
        lastSeq = packet.get(U32, TCP + 4);
        lastAck = packet.get(U32, TCP + 8);
        lastSegmentEnd = lastSeq + total - TCP - dataOffset;
        MemorySegment.copy(packet, 0, lastHeaders, 0, TCP + dataOffset);
    }

    @Override
    public boolean awaitReceivable(long timeoutNanos) {
        return inboundLength != 0;
    }

    @Override
    public void close() {
        inboundLength = 0;
    }
}
