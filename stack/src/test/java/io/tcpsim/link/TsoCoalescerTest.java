package io.tcpsim.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.wire.Checksum;
import io.tcpsim.wire.Ipv4Address;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TsoCoalescer: consecutive full data segments of one connection leave as one GSO packet, nothing else changes. */
class TsoCoalescerTest {

    private static final int SRC = Ipv4Address.parse("10.0.0.2");
    private static final int DST = Ipv4Address.parse("10.0.0.1");
    private static final int ACK = 0x10;
    private static final int PSH = 0x08;
    private static final int FIN = 0x01;
    private static final int MSS = 1000;
    private static final int HEADERS = 20 + 32;

    /** What reached the link below: the bytes, and the GSO segment size (0: a plain packet). */
    private record Sent(byte[] bytes, int segmentSize) {
    }

    /** A link that segments TCP packets and records what it is given. */
    private static final class OffloadingLink implements LinkDevice {
        final List<Sent> sent = new ArrayList<>();

        @Override
        public int mtu() {
            return 1500;
        }

        @Override
        public int receive(MemorySegment buffer) {
            return 0;
        }

        @Override
        public boolean awaitReceivable(long timeoutNanos) {
            return false;
        }

        @Override
        public void close() {
        }

        @Override
        public void transmit(MemorySegment packet) {
            sent.add(new Sent(packet.toArray(ValueLayout.JAVA_BYTE), 0));
        }

        @Override
        public boolean segmentsOffloaded() {
            return true;
        }

        @Override
        public void transmitSegmented(MemorySegment packet, int segmentSize) {
            sent.add(new Sent(packet.toArray(ValueLayout.JAVA_BYTE), segmentSize));
        }
    }

    private final OffloadingLink inner = new OffloadingLink();
    private final LinkDevice link = TsoCoalescer.over(inner);

    @Test
    void fullSegmentsThenAShortOneWithPshLeaveAsOneGsoPacketWithAPartialChecksum() throws Exception {
        byte[][] segments = {segment(1, 5000, ACK, MSS), segment(1, 6000, ACK, MSS), segment(1, 7000, ACK, MSS),
            segment(1, 8000, ACK | PSH, 500)};
        for (byte[] s : segments) {
            link.transmit(MemorySegment.ofArray(s));
        }
        assertEquals(List.of(), inner.sent, "held until the flush at the end of the poll");
        link.flush();

        assertEquals(1, inner.sent.size());
        Sent gso = inner.sent.getFirst();
        assertEquals(MSS, gso.segmentSize());
        ByteBuffer p = ByteBuffer.wrap(gso.bytes());
        assertEquals(HEADERS + 3 * MSS + 500, gso.bytes().length);
        assertEquals(gso.bytes().length, Short.toUnsignedInt(p.getShort(2)), "IPv4 total length of the whole");
        assertEquals(0xFFFF, Checksum.ones16(MemorySegment.ofArray(gso.bytes()), 0, 20, 0), "IPv4 header checksum");
        assertEquals(5000, p.getInt(24), "the first segment's sequence number");
        assertEquals(ACK | PSH, p.get(33), "PSH of the last segment");
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        for (byte[] s : segments) {
            payload.write(s, HEADERS, s.length - HEADERS);
        }
        assertArrayEquals(payload.toByteArray(), Arrays.copyOfRange(gso.bytes(), HEADERS, gso.bytes().length));

        int tcpLength = gso.bytes().length - 20;
        int pseudo = Checksum.pseudoHeaderIpv4(SRC, DST, 6, tcpLength);
        assertEquals(pseudo, Short.toUnsignedInt(p.getShort(36)), "the checksum field holds the pseudo-header sum");
        MemorySegment tcp = MemorySegment.ofArray(gso.bytes()).asSlice(20);
        // What the receiver of CHECKSUM_PARTIAL does: sum from csum_start, store at csum_offset.
        int completed = Checksum.finish(Checksum.ones16(tcp));
        tcp.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 16, (short) completed);
        assertEquals(0xFFFF, Checksum.ones16(tcp, 0, tcpLength, pseudo), "completed, the checksum verifies");
        assertEquals(4, ((TsoCoalescer) link).segmentsCoalesced());
    }

    @Test
    void aSegmentAloneLeavesUnchangedAsAPlainPacket() throws Exception {
        byte[] only = segment(1, 5000, ACK, MSS);
        link.transmit(MemorySegment.ofArray(only));
        link.flush();
        assertEquals(1, inner.sent.size());
        assertEquals(0, inner.sent.getFirst().segmentSize());
        assertArrayEquals(only, inner.sent.getFirst().bytes());
    }

    @Test
    void otherConnectionsPureAcksAndGapsBreakTheRunAndKeepTheOrder() throws Exception {
        byte[] a1 = segment(1, 5000, ACK, MSS);
        byte[] a2 = segment(1, 6000, ACK, MSS);
        byte[] b1 = segment(2, 9000, ACK, MSS);
        byte[] pureAck = segment(1, 7000, ACK, 0);
        byte[] a3 = segment(1, 7000, ACK, MSS);
        byte[] gap = segment(1, 9000, ACK, MSS);
        for (byte[] s : new byte[][] {a1, a2, b1, pureAck, a3, gap}) {
            link.transmit(MemorySegment.ofArray(s));
        }
        link.flush();
        assertEquals(List.of(MSS, 0, 0, 0, 0), inner.sent.stream().map(Sent::segmentSize).toList());
        assertEquals(HEADERS + 2 * MSS, inner.sent.get(0).bytes().length, "a1 and a2");
        assertArrayEquals(b1, inner.sent.get(1).bytes());
        assertArrayEquals(pureAck, inner.sent.get(2).bytes());
        assertArrayEquals(a3, inner.sent.get(3).bytes());
        assertArrayEquals(gap, inner.sent.get(4).bytes());
    }

    @Test
    void nothingFollowsAShortSegmentOrAFinAndNothingLargerThanTheFirstJoins() throws Exception {
        link.transmit(MemorySegment.ofArray(segment(1, 5000, ACK, MSS)));
        link.transmit(MemorySegment.ofArray(segment(1, 6000, ACK, MSS + 1)));
        link.transmit(MemorySegment.ofArray(segment(1, 7001, ACK, 400)));
        link.transmit(MemorySegment.ofArray(segment(1, 7401, ACK | FIN, 400)));
        link.flush();
        assertEquals(List.of(0, MSS + 1, 0), inner.sent.stream().map(Sent::segmentSize).toList());
        assertEquals(HEADERS + MSS + 1 + 400, inner.sent.get(1).bytes().length, "the short one closes the run");
        assertEquals(ACK | FIN, inner.sent.get(2).bytes()[33], "the FIN alone");
    }

    @Test
    void aGsoPacketStopsAt64KiB() throws Exception {
        for (int i = 0; i < 70; i++) {
            link.transmit(MemorySegment.ofArray(segment(1, 5000 + i * MSS, ACK, MSS)));
        }
        link.flush();
        int perPacket = (TsoCoalescer.MAX_PACKET - HEADERS) / MSS;
        assertEquals(List.of(HEADERS + perPacket * MSS, HEADERS + (70 - perPacket) * MSS),
                inner.sent.stream().map(s -> s.bytes().length).toList());
        assertTrue(inner.sent.stream().allMatch(s -> s.segmentSize() == MSS));
    }

    @Test
    void aLinkWithoutSegmentationIsUsedAsItIs() {
        QueueLink plain = new QueueLink(1500);
        assertSame(plain, TsoCoalescer.over(plain));
    }

    /**
     * An IPv4 TCP segment from 10.0.0.2:{@code port}000 to 10.0.0.1:80 with the timestamps option,
     * ACK 1, window 500, {@code payload} bytes of a pattern of {@code seq}, checksums complete.
     */
    private static byte[] segment(int port, int seq, int flags, int payload) {
        ByteBuffer b = ByteBuffer.allocate(HEADERS + payload);
        b.putInt(0x4500_0000 | (HEADERS + payload)).putInt(0x1234_4000).putInt(0x4006_0000).putInt(SRC).putInt(DST);
        b.putShort((short) (port * 1000)).putShort((short) 80).putInt(seq).putInt(1);
        b.putShort((short) (8 << 12 | flags)).putShort((short) 500).putInt(0);
        b.putInt(0x0101_080A).putInt(77).putInt(66);
        for (int i = 0; i < payload; i++) {
            b.put((byte) (seq + i));
        }
        byte[] bytes = b.array();
        MemorySegment s = MemorySegment.ofArray(bytes);
        ByteBuffer.wrap(bytes).putShort(10, (short) Checksum.finish(Checksum.ones16(s, 0, 20, 0)));
        int pseudo = Checksum.pseudoHeaderIpv4(SRC, DST, 6, HEADERS - 20 + payload);
        ByteBuffer.wrap(bytes).putShort(36, (short) Checksum.finish(Checksum.ones16(s, 20, HEADERS - 20 + payload, pseudo)));
        return bytes;
    }
}
