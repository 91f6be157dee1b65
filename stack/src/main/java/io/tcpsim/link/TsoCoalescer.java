package io.tcpsim.link;

import io.tcpsim.wire.Checksum;
import io.tcpsim.wire.Ipv4Packet;
import io.tcpsim.wire.Ipv6Packet;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * TCP segmentation offload on the way out, for a link that {@linkplain LinkDevice#segmentsOffloaded
 * segments TCP GSO packets}: the data segments a connection sends back to back within one poll of
 * the stack (same addresses, ports, ACK, window and options, consecutive sequence numbers, all but
 * the last full-sized, flags ACK, PSH or FIN only on the last) leave as one packet of up to 64 KiB
 * that the other end cuts into the original segments again, as Linux's TCP hands one skb of
 * tcp_tso_segs() segments to a TSO device (tcp_write_xmit()) and tcp_gso_segment() cuts it.
 * TCP itself still decides segment by segment (cwnd, the peer's window, Nagle, SACK and
 * retransmission bookkeeping are unchanged); only the output is coalesced. Anything else (SYN,
 * RST, URG, pure ACKs, IP options, extension headers, UDP, ICMP) goes through as it is, after the
 * packets held before it, so the order on the link is the order of {@link #transmit}.
 */
public final class TsoCoalescer implements LinkDevice {

    /** The IPv4 total length field's limit, and what Linux's GSO_LEGACY_MAX_SIZE allows. */
    static final int MAX_PACKET = 65_535;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int IPV4_TOTAL_LENGTH = 2;
    private static final int IPV4_FLAGS = 6;
    private static final int IPV4_DONT_FRAGMENT = 0x4000;
    private static final int IPV4_TTL = 8;
    private static final int IPV4_PROTOCOL = 9;
    private static final int IPV4_CHECKSUM = 10;
    private static final int IPV4_SOURCE = 12;
    private static final int IPV6_PAYLOAD_LENGTH = 4;
    private static final int IPV6_NEXT_HEADER = 6;
    private static final int IPV6_SOURCE = 8;
    private static final int TCP_SEQ = 4;
    private static final int TCP_DATA_OFFSET = 12;
    private static final int TCP_FLAGS = 13;
    private static final int TCP_CHECKSUM = 16;
    private static final int FIN = 0x01;
    private static final int PSH = 0x08;
    private static final int ACK = 0x10;

    private final LinkDevice inner;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment pending;
    private int pendingLength;
    private int ipHeader;
    private int headers;
    private int segmentSize;
    private int pieces;
    private int nextSeq;
    private boolean closed;
    private long packetsCoalesced;

    private TsoCoalescer(LinkDevice inner) {
        this.inner = inner;
        this.pending = arena.allocate(MAX_PACKET, 64);
    }

    /** {@code link} behind a coalescer when it segments TCP packets, else {@code link} itself. */
    public static LinkDevice over(LinkDevice link) {
        return link.segmentsOffloaded() ? new TsoCoalescer(link) : link;
    }

    /** Segments that left inside a larger packet rather than alone (for tests and counters). */
    public long segmentsCoalesced() {
        return packetsCoalesced;
    }

    @Override
    public int mtu() {
        return inner.mtu();
    }

    @Override
    public int receive(MemorySegment buffer) throws IOException {
        return inner.receive(buffer);
    }

    @Override
    public boolean receivedChecksumTrusted() {
        return inner.receivedChecksumTrusted();
    }

    @Override
    public void transmit(MemorySegment packet) throws IOException {
        int ip = tcpDataIpHeader(packet);
        if (ip > 0 && pieces > 0 && appendable(packet, ip)) {
            append(packet, ip);
            return;
        }
        sendPending();
        if (ip > 0 && startable(packet, ip)) {
            start(packet, ip);
        } else {
            inner.transmit(packet);
        }
    }

    @Override
    public void flush() throws IOException {
        sendPending();
        inner.flush();
    }

    @Override
    public boolean awaitReceivable(long timeoutNanos) throws IOException {
        return inner.awaitReceivable(timeoutNanos);
    }

    @Override
    public void wakeUp() throws IOException {
        inner.wakeUp();
    }

    @Override
    public void close() throws IOException {
        try {
            sendPending();
        } finally {
            try {
                inner.close();
            } finally {
                arena.close();
            }
        }
    }

    /**
     * The IP header length of a TCP packet with data and no SYN, RST or URG, over IPv4 without
     * options with DF and not a fragment, or IPv6 without extension headers; 0 for anything else.
     */
    private static int tcpDataIpHeader(MemorySegment packet) {
        long size = packet.byteSize();
        int version = size == 0 ? 0 : u8(packet, 0) >>> 4;
        int ip;
        if (version == Ipv4Packet.VERSION && size >= Ipv4Packet.MIN_HEADER_LENGTH + 20 && u8(packet, 0) == 0x45
                && u8(packet, IPV4_PROTOCOL) == Ipv4Packet.PROTO_TCP
                && u16(packet, IPV4_FLAGS) == IPV4_DONT_FRAGMENT && u16(packet, IPV4_TOTAL_LENGTH) == size) {
            ip = Ipv4Packet.MIN_HEADER_LENGTH;
        } else if (version == Ipv6Packet.VERSION && size >= Ipv6Packet.HEADER_LENGTH + 20
                && u8(packet, IPV6_NEXT_HEADER) == Ipv4Packet.PROTO_TCP
                && u16(packet, IPV6_PAYLOAD_LENGTH) == size - Ipv6Packet.HEADER_LENGTH) {
            ip = Ipv6Packet.HEADER_LENGTH;
        } else {
            return 0;
        }
        int flags = u8(packet, ip + TCP_FLAGS);
        int tcpHeader = (u8(packet, ip + TCP_DATA_OFFSET) >>> 4) * 4;
        boolean data = tcpHeader >= 20 && size > ip + tcpHeader;
        return data && (flags & ~(PSH | FIN)) == ACK ? ip : 0;
    }

    /** A first segment that more may follow: full-sized is unknown yet, so no PSH or FIN. */
    private static boolean startable(MemorySegment packet, int ip) {
        return (u8(packet, ip + TCP_FLAGS) & (PSH | FIN)) == 0;
    }

    private void start(MemorySegment packet, int ip) {
        MemorySegment.copy(packet, 0, pending, 0, packet.byteSize());
        pendingLength = (int) packet.byteSize();
        ipHeader = ip;
        headers = ip + (u8(packet, ip + TCP_DATA_OFFSET) >>> 4) * 4;
        segmentSize = pendingLength - headers;
        pieces = 1;
        nextSeq = packet.get(U32, ip + TCP_SEQ) + segmentSize;
        closed = false;
    }

    /**
     * The next segment of the pending packet's connection: the same headers but for sequence
     * number, flags and checksum (and IPv4 identification, total length and header checksum),
     * no larger than the first, and room left.
     */
    private boolean appendable(MemorySegment packet, int ip) {
        int payload = (int) packet.byteSize() - headers;
        return !closed && ip == ipHeader && payload > 0 && payload <= segmentSize
                && pendingLength + payload <= MAX_PACKET
                && packet.get(U32, ip + TCP_SEQ) == nextSeq
                && (u8(packet, ip + TCP_DATA_OFFSET) >>> 4) * 4 == headers - ip
                && sameHeaders(packet, ip);
    }

    private boolean sameHeaders(MemorySegment packet, int ip) {
        boolean sameIp = ip == Ipv4Packet.MIN_HEADER_LENGTH
                ? same(packet, 1, IPV4_TOTAL_LENGTH) && same(packet, IPV4_TTL, IPV4_CHECKSUM)
                        && same(packet, IPV4_SOURCE, ip)
                : same(packet, 0, IPV6_PAYLOAD_LENGTH) && same(packet, IPV6_NEXT_HEADER, ip);
        return sameIp
                && same(packet, ip, ip + TCP_SEQ)
                && same(packet, ip + TCP_SEQ + 4, ip + TCP_FLAGS)
                && same(packet, ip + TCP_FLAGS + 1, ip + TCP_CHECKSUM)
                && same(packet, ip + TCP_CHECKSUM + 2, headers);
    }

    /** True when bytes {@code from..to} of {@code packet} and the pending packet are equal. */
    private boolean same(MemorySegment packet, long from, long to) {
        return MemorySegment.mismatch(packet, from, to, pending, from, to) < 0;
    }

    private void append(MemorySegment packet, int ip) {
        int payload = (int) packet.byteSize() - headers;
        MemorySegment.copy(packet, headers, pending, pendingLength, payload);
        pendingLength += payload;
        nextSeq += payload;
        pieces++;
        int flags = u8(packet, ip + TCP_FLAGS);
        pending.set(ValueLayout.JAVA_BYTE, ip + TCP_FLAGS, (byte) (u8(pending, ip + TCP_FLAGS) | flags));
        closed = payload < segmentSize || (flags & (PSH | FIN)) != 0;
    }

    private void sendPending() throws IOException {
        if (pieces == 0) {
            return;
        }
        MemorySegment packet = pending.asSlice(0, pendingLength);
        if (pieces == 1) {
            inner.transmit(packet);
        } else {
            packetsCoalesced += pieces;
            fixLengthsAndPartialChecksum(packet);
            inner.transmitSegmented(packet, segmentSize);
        }
        pieces = 0;
    }

    /**
     * The IP length for the whole packet (and the IPv4 header checksum), and in TCP's checksum
     * field the pseudo-header sum alone, not complemented, as Linux's __tcp_v4_send_check() leaves
     * it for CHECKSUM_PARTIAL: the other end adds the data and adjusts the length per segment.
     */
    private void fixLengthsAndPartialChecksum(MemorySegment packet) {
        int tcpLength = pendingLength - ipHeader;
        int pseudo;
        if (ipHeader == Ipv4Packet.MIN_HEADER_LENGTH) {
            packet.set(U16, IPV4_TOTAL_LENGTH, (short) pendingLength);
            packet.set(U16, IPV4_CHECKSUM, (short) 0);
            packet.set(U16, IPV4_CHECKSUM, (short) Checksum.finish(Checksum.ones16(packet, 0, ipHeader, 0)));
            pseudo = Checksum.pseudoHeaderIpv4(packet.get(U32, IPV4_SOURCE), packet.get(U32, IPV4_SOURCE + 4),
                    Ipv4Packet.PROTO_TCP, tcpLength);
        } else {
            packet.set(U16, IPV6_PAYLOAD_LENGTH, (short) tcpLength);
            pseudo = Checksum.pseudoHeaderIpv6(packet.asSlice(IPV6_SOURCE, Ipv6Packet.ADDRESS_LENGTH),
                    packet.asSlice(IPV6_SOURCE + Ipv6Packet.ADDRESS_LENGTH, Ipv6Packet.ADDRESS_LENGTH),
                    Ipv4Packet.PROTO_TCP, tcpLength);
        }
        packet.set(U16, ipHeader + TCP_CHECKSUM, (short) pseudo);
    }

    private static int u8(MemorySegment packet, long offset) {
        return Byte.toUnsignedInt(packet.get(ValueLayout.JAVA_BYTE, offset));
    }

    private static int u16(MemorySegment packet, long offset) {
        return Short.toUnsignedInt(packet.get(U16, offset));
    }
}
