package io.tcpsim.ip;

import io.tcpsim.link.LinkDevice;
import io.tcpsim.wire.IpAddress;
import io.tcpsim.wire.Ipv4Packet;
import io.tcpsim.wire.Ipv6Packet;
import io.tcpsim.wire.Ipv6Repr;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * IPv6 output (RFC 8200 §3): builds each packet in one transmit buffer owned by the stack thread
 * (the 40-byte header, hop limit 64 as Linux's default, traffic class and flow label 0) and hands
 * it to the link. {@link #send} never fragments (tcpsim's TCP sizes its segments to the path): a
 * payload over the MTU is a caller bug; {@link #sendFragmentable} fragments as the source must
 * (RFC 8200 §4.5, §5), for UDP.
 */
public final class Ipv6Output {
    /** Linux net.ipv6.conf.*.hop_limit. */
    public static final int DEFAULT_HOP_LIMIT = 64;

    private static final ValueLayout.OfShort NETWORK_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt NETWORK_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** RFC 8200 §4.5: the Fragment header's length; fragment offsets count 8-octet units. */
    private static final int FRAGMENT_HEADER = 8;
    private static final int FRAGMENT_UNIT = 8;

    private final LinkDevice link;
    private final IpCounters counters;
    private final MemorySegment buffer;
    private final MemorySegment whole;
    private int nextIdentification;

    /**
     * @param buffer the transmit buffer, the link MTU in size
     * @param whole  room for a whole upper-layer payload before it is fragmented (65535 bytes)
     */
    Ipv6Output(LinkDevice link, IpCounters counters, MemorySegment buffer, MemorySegment whole) {
        this.link = link;
        this.counters = counters;
        this.buffer = buffer;
        this.whole = whole;
    }

    /** Largest payload one packet carries on this link. */
    public int maxPayload() {
        return (int) buffer.byteSize() - Ipv6Packet.HEADER_LENGTH;
    }

    /** Sends one packet from srcAddr to dstAddr whose payload {@code writer} fills. */
    public void send(IpAddress srcAddr, IpAddress dstAddr, int nextHeader, int payloadLength,
                     Ipv4Output.PayloadWriter writer) throws IOException {
        if (payloadLength > maxPayload()) {
            throw new IllegalArgumentException("payload of " + payloadLength + " bytes exceeds the link MTU ("
                    + maxPayload() + " bytes of payload)");
        }
        Ipv6Repr header = new Ipv6Repr(srcAddr.bytes(), dstAddr.bytes(), nextHeader, DEFAULT_HOP_LIMIT,
                payloadLength, 0, 0);
        MemorySegment packet = buffer.asSlice(0, header.bufferLength());
        header.emit(Ipv6Packet.unchecked(packet));
        writer.write(packet.asSlice(Ipv6Packet.HEADER_LENGTH));
        link.transmit(packet);
        counters.countOutRequest();
    }

    /**
     * The largest payload {@link #sendSegmented} takes: what the fragmentation buffer holds beside
     * the header (the packet is built there when the link offers no buffer of its own); 0 when the
     * link does not segment.
     */
    public int maxSegmentedPayload() {
        return link.segmentsOffloaded() ? (int) whole.byteSize() - Ipv6Packet.HEADER_LENGTH : 0;
    }

    /**
     * Sends one packet whose payload, a TCP segment, the link cuts into segments of
     * {@code segmentSize} bytes of data ({@link LinkDevice#transmitSegmented}).
     */
    public void sendSegmented(IpAddress srcAddr, IpAddress dstAddr, int payloadLength, int segmentSize,
                              Ipv4Output.PayloadWriter writer) throws IOException {
        if (payloadLength > maxSegmentedPayload()) {
            throw new IllegalArgumentException("payload of " + payloadLength + " bytes exceeds "
                    + maxSegmentedPayload() + " bytes, the most the link segments");
        }
        Ipv6Repr header = new Ipv6Repr(srcAddr.bytes(), dstAddr.bytes(), Ipv4Packet.PROTO_TCP, DEFAULT_HOP_LIMIT,
                payloadLength, 0, 0);
        MemorySegment packet = segmentedBuffer().asSlice(0, header.bufferLength());
        header.emit(Ipv6Packet.unchecked(packet));
        writer.write(packet.asSlice(Ipv6Packet.HEADER_LENGTH));
        link.transmitSegmented(packet, segmentSize);
        counters.countOutRequest();
    }

    /** The link's own buffer when it has one, so that the payload is copied once; else the fragmentation buffer. */
    private MemorySegment segmentedBuffer() {
        MemorySegment room = link.segmentedTransmitBuffer();
        return room != null && room.byteSize() >= whole.byteSize() ? room : whole;
    }

    /**
     * Sends an upper-layer payload of up to 65535 bytes: in one packet when it fits the link, else
     * in fragments (RFC 8200 §4.5, Linux ip6_fragment()): each an IPv6 header (next header 44) and a
     * Fragment header (the payload's next header, the offset in 8-octet units, M set on all but
     * the last, one identification), carrying a multiple of 8 bytes but the last. Counted as
     * IPv4's fragmentation is (IpFragOKs, IpFragCreates; Linux keeps Ip6FragOKs apart).
     */
    public void sendFragmentable(IpAddress srcAddr, IpAddress dstAddr, int nextHeader, int payloadLength,
                                 Ipv4Output.PayloadWriter writer) throws IOException {
        if (payloadLength <= maxPayload()) {
            send(srcAddr, dstAddr, nextHeader, payloadLength, writer);
            return;
        }
        MemorySegment payload = whole.asSlice(0, payloadLength);
        writer.write(payload);
        int identification = ++nextIdentification;
        int step = (maxPayload() - FRAGMENT_HEADER) / FRAGMENT_UNIT * FRAGMENT_UNIT;
        for (int offset = 0; offset < payloadLength; offset += step) {
            int length = Math.min(step, payloadLength - offset);
            boolean more = offset + length < payloadLength;
            Ipv6Repr header = new Ipv6Repr(srcAddr.bytes(), dstAddr.bytes(), Ipv6Packet.NEXT_FRAGMENT,
                    DEFAULT_HOP_LIMIT, FRAGMENT_HEADER + length, 0, 0);
            MemorySegment packet = buffer.asSlice(0, header.bufferLength());
            header.emit(Ipv6Packet.unchecked(packet));
            MemorySegment fragment = packet.asSlice(Ipv6Packet.HEADER_LENGTH);
            fragment.set(ValueLayout.JAVA_BYTE, 0, (byte) nextHeader);
            fragment.set(ValueLayout.JAVA_BYTE, 1, (byte) 0);
            fragment.set(NETWORK_SHORT, 2, (short) (offset | (more ? 1 : 0)));
            fragment.set(NETWORK_INT, 4, identification);
            MemorySegment.copy(payload, offset, fragment, FRAGMENT_HEADER, length);
            link.transmit(packet);
            counters.countFragmentCreated();
        }
        counters.countOutRequest();
        counters.countFragmented();
    }
}
