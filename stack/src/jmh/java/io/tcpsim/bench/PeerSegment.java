package io.tcpsim.bench;

import io.tcpsim.testsupport.RawPacket;
import io.tcpsim.wire.Checksum;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * One IPv4 packet of the benchmark's peer, kept off-heap, whose SEG.SEQ, SEG.ACK, TSval and TSecr
 * change from one use to the next with the TCP checksum updated incrementally (RFC 1624), as a
 * sender would patch a template; the TCP options are NOP, NOP, timestamps (RFC 7323 §3).
 */
final class PeerSegment {
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int TCP = 20;
    private static final int SEQ = TCP + 4;
    private static final int ACK = TCP + 8;
    private static final int CHECKSUM = TCP + 16;
    private static final int TS_VAL = TCP + 24;
    private static final int TS_ECR = TCP + 28;
    static final byte[] TIMESTAMPS = {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0};

    private final MemorySegment packet;
    private final int length;

    PeerSegment(RawPacket template) {
        byte[] bytes = template.options(TIMESTAMPS).bytes();
        packet = Arena.ofAuto().allocate(bytes.length);
        MemorySegment.copy(bytes, 0, packet, ValueLayout.JAVA_BYTE, 0, bytes.length);
        length = bytes.length;
    }

    /** Sets the fields and hands the packet to {@code link} as the next one it receives. */
    void sendTo(BenchLink link, int seq, int ack, int tsVal, int tsEcr) {
        set(SEQ, seq);
        set(ACK, ack);
        set(TS_VAL, tsVal);
        set(TS_ECR, tsEcr);
        link.inject(packet, length);
    }

    private void set(int offset, int value) {
        int old = packet.get(U32, offset);
        int checksum = Short.toUnsignedInt(packet.get(U16, CHECKSUM));
        packet.set(U16, CHECKSUM, (short) Checksum.update32(checksum, old, value));
        packet.set(U32, offset, value);
    }
}
