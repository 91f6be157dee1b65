package io.tcpsim.bench;

import io.tcpsim.link.LinkDevice;
import io.tcpsim.wire.Checksum;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The ceiling for any stack on this TUN: the smallest loop that keeps the kernel's TCP going. It
 * answers a SYN with a SYN-ACK (MSS, window scale 7, timestamps when the SYN has them, so that
 * the kernel can tell a spurious retransmission and undo it), takes in-order data without looking at it
 * (no checksum check, no buffer) and acknowledges it once per batch of reads, or, in echo mode,
 * sends every segment's payload straight back with the ACK; a FIN is answered with FIN-ACK. No
 * retransmission, no timers, nothing allocated per packet or per connection: flow state lives in
 * arrays indexed by the low byte of the kernel's address and its port, made up front.
 */
final class RawTunSink implements AutoCloseable {

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int FIN = 0x01;
    private static final int SYN = 0x02;
    private static final int RST = 0x04;
    private static final int PSH = 0x08;
    private static final int ACK = 0x10;
    private static final int ISS = 0x1000_0000;
    private static final int SOURCES = 16;
    private static final int BATCH = 64;
    /**
     * Segments in flight per flow the sink allows: with more, the kernel's bursts overflow the TUN's
     * transmit queue (txqueuelen 500), and a sink that drops out-of-order data would stall on every loss.
     */
    private static final int WINDOW_SEGMENTS = 96;
    private static final long WAIT_NANOS = 50_000_000L;

    private final LinkDevice link;
    private final int address;
    private final boolean echo;
    private final int mss;
    /** The window field: {@link #WINDOW_SEGMENTS} segments at scale 7, below the TUN's queue of 500 packets. */
    private final int window;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment in;
    private final MemorySegment out;
    private final int[] rcvNxt = new int[SOURCES << 16];
    private final int[] sndNxt = new int[SOURCES << 16];
    private final int[] peerAddress = new int[SOURCES << 16];
    private final short[] localPort = new short[SOURCES << 16];
    private final boolean[] timestamps = new boolean[SOURCES << 16];
    private final int[] tsRecent = new int[SOURCES << 16];
    private final int[] dirty = new int[BATCH];
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long bytes;

    RawTunSink(LinkDevice link, int address, boolean echo) {
        this.link = link;
        this.address = address;
        this.echo = echo;
        this.mss = link.mtu() - 40;
        this.window = Math.min(0xFFFF, WINDOW_SEGMENTS * mss >> 7);
        this.in = arena.allocate(65_536, 64);
        this.out = arena.allocate(65_536, 64);
        this.thread = Thread.ofPlatform().name("raw-tun-sink").daemon().start(this::run);
    }

    /** Bytes of in-order data received so far. */
    long bytes() {
        return bytes;
    }

    private void run() {
        try {
            while (running) {
                link.awaitReceivable(WAIT_NANOS);
                int dirtyCount = 0;
                for (int n = 0; n < BATCH; n++) {
                    int length = link.receive(in);
                    if (length <= 0) {
                        break;
                    }
                    int flow = onPacket(length);
                    if (flow >= 0) {
                        dirty[dirtyCount++] = flow;
                    }
                }
                for (int i = 0; i < dirtyCount; i++) {
                    acknowledge(dirty[i]);
                }
            }
        } catch (IOException e) {
            if (running) {
                System.err.println("raw TUN sink stopped: " + e.getMessage());
            }
        }
    }

    /** Handles one packet; returns the flow to acknowledge at the end of the batch, or -1. */
    private int onPacket(int length) throws IOException {
        if (length < 40 || (in.get(ValueLayout.JAVA_BYTE, 0) & 0xF0) != 0x40 || in.get(ValueLayout.JAVA_BYTE, 9) != 6) {
            return -1;
        }
        int ihl = (in.get(ValueLayout.JAVA_BYTE, 0) & 0x0F) * 4;
        int total = Short.toUnsignedInt(in.get(U16, 2));
        int source = in.get(U32, 12);
        int sourcePort = Short.toUnsignedInt(in.get(U16, ihl));
        int seq = in.get(U32, ihl + 4);
        int dataOffset = ((in.get(ValueLayout.JAVA_BYTE, ihl + 12) >> 4) & 0x0F) * 4;
        int flags = in.get(ValueLayout.JAVA_BYTE, ihl + 13) & 0x3F;
        int payload = total - ihl - dataOffset;
        int flow = (source & (SOURCES - 1)) << 16 | sourcePort;
        if ((flags & RST) != 0) {
            return -1;
        }
        int ts = timestampOption(ihl, dataOffset);
        if ((flags & SYN) != 0) {
            timestamps[flow] = ts >= 0;
            tsRecent[flow] = ts >= 0 ? in.get(U32, ts + 2) : 0;
            rcvNxt[flow] = seq + 1;
            sndNxt[flow] = ISS + 1;
            peerAddress[flow] = source;
            localPort[flow] = in.get(U16, ihl + 2);
            reply(flow, ISS, SYN | ACK, 0, 0);
            return -1;
        }
        if (ts >= 0 && seq == rcvNxt[flow]) {
            tsRecent[flow] = in.get(U32, ts + 2); // RFC 7323 §4.3: TS.Recent from in-order segments
        }
        if (payload > 0 && seq == rcvNxt[flow]) {
            rcvNxt[flow] += payload;
            bytes += payload;
            if (echo) {
                reply(flow, sndNxt[flow], ACK | PSH, ihl + dataOffset, payload);
                sndNxt[flow] += payload;
                return -1;
            }
        }
        if ((flags & FIN) != 0 && seq + payload == rcvNxt[flow]) {
            rcvNxt[flow] += 1;
            reply(flow, sndNxt[flow], FIN | ACK, 0, 0);
            sndNxt[flow] += 1;
            return -1;
        }
        return payload > 0 ? flow : -1;
    }

    /** Offset of the timestamps option (kind 8) in the packet read, or -1. */
    private int timestampOption(int ihl, int dataOffset) {
        int i = ihl + 20;
        int end = ihl + dataOffset;
        while (i < end) {
            int kind = in.get(ValueLayout.JAVA_BYTE, i) & 0xFF;
            if (kind == 0) {
                return -1;
            } else if (kind == 1) {
                i++;
                continue;
            }
            int length = i + 1 < end ? in.get(ValueLayout.JAVA_BYTE, i + 1) & 0xFF : 0;
            if (length < 2 || i + length > end) {
                return -1;
            }
            if (kind == 8 && length == 10) {
                return i;
            }
            i += length;
        }
        return -1;
    }

    private void acknowledge(int flow) throws IOException {
        reply(flow, sndNxt[flow], ACK, 0, 0);
    }

    /** Writes one segment to the kernel; {@code payload} bytes copied from offset {@code from} of the packet read. */
    private void reply(int flow, int seq, int flags, int from, int payload) throws IOException {
        boolean ts = timestamps[flow];
        int options = ((flags & SYN) != 0 ? 8 : 0) + (ts ? 12 : 0);
        int tcpLength = 20 + options + payload;
        int total = 20 + tcpLength;
        int peer = peerAddress[flow];
        out.set(U32, 0, 0x4500_0000 | total);
        out.set(U32, 4, 0x4000_0000);
        out.set(U32, 8, 0x4006_0000);
        out.set(U32, 12, address);
        out.set(U32, 16, peer);
        out.set(U16, 10, (short) Checksum.finish(Checksum.ones16(out, 0, 20, 0)));
        out.set(U16, 20, localPort[flow]);
        out.set(U16, 22, (short) (flow & 0xFFFF));
        out.set(U32, 24, seq);
        out.set(U32, 28, rcvNxt[flow]);
        out.set(U16, 32, (short) ((5 + options / 4) << 12 | flags));
        out.set(U16, 34, (short) ((flags & SYN) != 0 ? 0xFFFF : window));
        out.set(U32, 36, 0);
        int at = 40;
        if ((flags & SYN) != 0) {
            out.set(U32, at, 0x0204_0000 | mss);
            out.set(U32, at + 4, 0x0103_0307);
            at += 8;
        }
        if (ts) {
            out.set(U32, at, 0x0101_080A);
            out.set(U32, at + 4, (int) (System.nanoTime() / 1_000_000));
            out.set(U32, at + 8, tsRecent[flow]);
        }
        if (payload > 0) {
            MemorySegment.copy(in, from, out, 40 + options, payload);
        }
        int pseudo = Checksum.pseudoHeaderIpv4(address, peer, 6, tcpLength);
        out.set(U16, 36, (short) Checksum.finish(Checksum.ones16(out, 20, tcpLength, pseudo)));
        link.transmit(out.asSlice(0, total));
    }

    @Override
    public void close() {
        running = false;
        try {
            // Unbounded but short: the loop notices within WAIT_NANOS plus one batch. A bounded join
            // closed the arena under a thread that a loaded machine had not yet run ("Session is
            // acquired by 1 clients").
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        arena.close();
    }
}
