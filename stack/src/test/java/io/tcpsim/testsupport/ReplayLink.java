package io.tcpsim.testsupport;

import io.tcpsim.link.LinkDevice;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A link for allocation checks: it allocates nothing per packet itself, so that whatever a
 * thread allocates around {@link io.tcpsim.NetStack#poll} is the stack's. It holds at most one
 * inbound packet, a byte array the test rewrites in place ({@link #offer}), and keeps of what the
 * stack transmits only the count and the end of the last TCP segment's sequence space.
 */
public final class ReplayLink implements LinkDevice {

    private static final int IP_HEADER = 20;
    private static final int TCP_SEQ = IP_HEADER + 4;
    private static final int TCP_DATA_OFFSET = IP_HEADER + 12;
    private static final int TCP_FLAGS = IP_HEADER + 13;
    private static final int TOTAL_LENGTH = 2;
    private static final int SYN_OR_FIN = 0x03;
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final int mtu;
    private byte[] pending;
    private long transmitted;
    private int sentSeqEnd;
    private int sentTsVal;

    public ReplayLink(int mtu) {
        this.mtu = mtu;
    }

    /** {@code packet} (an IPv4 datagram without options) is what the next receive returns; not copied. */
    public void offer(byte[] packet) {
        this.pending = packet;
    }

    /** Packets transmitted so far. */
    public long transmitted() {
        return transmitted;
    }

    /** SEG.SEQ + SEG.LEN of the last TCP segment transmitted: the peer's next acknowledgment. */
    public int sentSeqEnd() {
        return sentSeqEnd;
    }

    /**
     * TSval of the last segment transmitted when its options start with NOP, NOP, timestamps
     * (Linux's layout outside SYNs), else the one before.
     */
    public int sentTsVal() {
        return sentTsVal;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public int receive(MemorySegment buffer) {
        byte[] packet = pending;
        if (packet == null) {
            return 0;
        }
        pending = null;
        MemorySegment.copy(packet, 0, buffer, ValueLayout.JAVA_BYTE, 0, packet.length);
        return packet.length;
    }

    @Override
    public void transmit(MemorySegment packet) {
        transmitted++;
        int tcpHeader = (u8(packet, TCP_DATA_OFFSET) >>> 4) * 4;
        int payload = u16(packet, TOTAL_LENGTH) - IP_HEADER - tcpHeader;
        int controls = Integer.bitCount(u8(packet, TCP_FLAGS) & SYN_OR_FIN);
        sentSeqEnd = packet.get(U32, TCP_SEQ)
                + payload + controls;
        int options = IP_HEADER + 20;
        if (tcpHeader >= 32 && u8(packet, options) == 1 && u8(packet, options + 1) == 1 && u8(packet, options + 2) == 8) {
            sentTsVal = packet.get(U32, options + 4);
        }
    }

    @Override
    public boolean awaitReceivable(long timeoutNanos) {
        return pending != null;
    }

    @Override
    public void close() {
        pending = null;
    }

    private static int u8(MemorySegment packet, long at) {
        return Byte.toUnsignedInt(packet.get(ValueLayout.JAVA_BYTE, at));
    }

    private static int u16(MemorySegment packet, long at) {
        return u8(packet, at) << 8 | u8(packet, at + 1);
    }
}
