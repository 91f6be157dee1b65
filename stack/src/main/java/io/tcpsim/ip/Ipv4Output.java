package io.tcpsim.ip;

import io.tcpsim.link.BufferSlices;
import io.tcpsim.link.LinkDevice;
import io.tcpsim.wire.Ipv4Packet;
import io.tcpsim.wire.Ipv4Repr;
import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * IPv4 output (RFC 791 §3.1, RFC 1122 §3.3): builds each datagram in one transmit buffer owned by
 * the stack thread (20-byte header, TTL 64, an identification per datagram) and hands it to the
 * link. {@link #send} never fragments: a payload that does not fit the link MTU is a caller bug;
 * {@link #sendFragmentable} fragments (RFC 791 §3.2), for UDP.
 */
public final class Ipv4Output {

    /** Writes a transport payload of the announced length into {@code payload}. */
    @FunctionalInterface
    public interface PayloadWriter {
        void write(MemorySegment payload);
    }

    /** The fragment offset counts 8-octet units (RFC 791 §3.1): every fragment but the last is a multiple. */
    private static final int FRAGMENT_UNIT = 8;

    private final LinkDevice link;
    private final IpCounters counters;
    private final MemorySegment buffer;
    /** A view over {@link #buffer}, for writing the header of {@link #send}'s datagrams in place. */
    private final Ipv4Packet header;
    private final MemorySegment whole;
    /** Datagrams in {@link #buffer} and their payloads, one slice per length, made once (no allocation per packet). */
    private final BufferSlices datagrams;
    private final BufferSlices payloads;
    /** The same in the buffer {@link #sendSegmented} builds its datagram in; made for it when first used. */
    private BufferSlices segmentedDatagrams;
    private BufferSlices segmentedPayloads;
    private Ipv4Packet segmentedHeader;
    private int nextIdentification;

    /**
     * @param buffer the transmit buffer, the link MTU in size
     * @param whole  room for a whole transport payload before it is fragmented (65515 bytes)
     */
    Ipv4Output(LinkDevice link, IpCounters counters, MemorySegment buffer, MemorySegment whole) {
        this.link = link;
        this.counters = counters;
        this.buffer = buffer;
        this.header = Ipv4Packet.unchecked(buffer);
        this.whole = whole;
        this.datagrams = new BufferSlices(buffer, 0);
        this.payloads = new BufferSlices(buffer, Ipv4Packet.MIN_HEADER_LENGTH);
    }

    /** Largest payload one datagram carries on this link. */
    public int maxPayload() {
        return (int) buffer.byteSize() - Ipv4Packet.MIN_HEADER_LENGTH;
    }

    /**
     * Sends one datagram. {@code dontFragment}: Linux sets DF on TCP segments (path MTU discovery,
     * RFC 1191) and leaves it clear on ICMP replies.
     */
    public void send(int srcAddr, int dstAddr, int protocol, int payloadLength, boolean dontFragment,
                     PayloadWriter writer) throws IOException {
        send(srcAddr, dstAddr, protocol, payloadLength, dontFragment, 0, writer);
    }

    /** {@link #send} with a TOS byte, DSCP and ECN (ICMP errors go out as Internet control, RFC 1812 §4.3.2.5). */
    void send(int srcAddr, int dstAddr, int protocol, int payloadLength, boolean dontFragment, int tos,
              PayloadWriter writer) throws IOException {
        if (payloadLength > maxPayload()) {
            throw new IllegalArgumentException("payload of " + payloadLength + " bytes exceeds the link MTU ("
                    + maxPayload() + " bytes of payload)");
        }
        int totalLength = Ipv4Packet.MIN_HEADER_LENGTH + payloadLength;
        writeHeader(header, srcAddr, dstAddr, protocol, totalLength, dontFragment, tos, nextIdentification());
        writer.write(payloads.of(payloadLength));
        link.transmit(datagrams.of(totalLength));
        counters.countOutRequest();
    }

    /**
     * The largest payload {@link #sendSegmented} takes: what the fragmentation buffer holds beside
     * the header (the datagram is built there when the link offers no buffer of its own); 0 when the
     * link does not segment.
     */
    public int maxSegmentedPayload() {
        return link.segmentsOffloaded() ? (int) whole.byteSize() - Ipv4Packet.MIN_HEADER_LENGTH : 0;
    }

    /**
     * Sends one datagram with DF set whose transport payload, a TCP segment, the link cuts into
     * segments of {@code segmentSize} bytes of data ({@link LinkDevice#transmitSegmented}); it
     * numbers them with consecutive identifications, as Linux's inet_gso_segment() does, so the
     * next datagram's follows the last of them.
     */
    public void sendSegmented(int srcAddr, int dstAddr, int payloadLength, int segmentSize, int segments,
                              PayloadWriter writer) throws IOException {
        if (payloadLength > maxSegmentedPayload()) {
            throw new IllegalArgumentException("payload of " + payloadLength + " bytes exceeds "
                    + maxSegmentedPayload() + " bytes, the most the link segments");
        }
        MemorySegment room = segmentedBuffer();
        if (segmentedDatagrams == null || !segmentedDatagrams.over(room)) {
            segmentedDatagrams = new BufferSlices(room, 0);
            segmentedPayloads = new BufferSlices(room, Ipv4Packet.MIN_HEADER_LENGTH);
            segmentedHeader = Ipv4Packet.unchecked(room);
        }
        int totalLength = Ipv4Packet.MIN_HEADER_LENGTH + payloadLength;
        MemorySegment datagram = segmentedDatagrams.of(totalLength);
        writeHeader(segmentedHeader, srcAddr, dstAddr, Ipv4Packet.PROTO_TCP, totalLength, true, 0,
                nextIdentification());
        nextIdentification = (nextIdentification + segments - 1) & 0xFFFF;
        writer.write(segmentedPayloads.of(payloadLength));
        link.transmitSegmented(datagram, segmentSize);
        counters.countOutRequest();
    }

    /** The link's own buffer when it has one, so that the payload is copied once; else the fragmentation buffer. */
    private MemorySegment segmentedBuffer() {
        MemorySegment room = link.segmentedTransmitBuffer();
        return room != null && room.byteSize() >= whole.byteSize() ? room : whole;
    }

    /**
     * The 20-byte header of an unfragmented datagram, as {@link Ipv4Repr#emit(Ipv4Packet)} writes
     * it, straight into the buffer through the one view over it ({@code header}): no header record
     * and no view made per datagram, on the path of every segment and ACK, TSO's too.
     */
    private static void writeHeader(Ipv4Packet header, int srcAddr, int dstAddr, int protocol, int totalLength,
                                    boolean dontFragment, int tos, int identification) {
        header.setVersionAndHeaderLength(Ipv4Packet.MIN_HEADER_LENGTH);
        header.setDscpEcn(tos >>> 2, tos & 0x03);
        header.setTotalLength(totalLength);
        header.setIdentification(identification);
        header.setFlagsAndFragmentOffset(dontFragment, false, 0);
        header.setTtl(Ipv4Repr.DEFAULT_TTL);
        header.setProtocol(protocol);
        header.setSrcAddr(srcAddr);
        header.setDstAddr(dstAddr);
        header.fillChecksum();
    }

    /**
     * Sends a transport payload of up to 65515 bytes: in one datagram with DF set when it fits the
     * link (Linux's IP_PMTUDISC_WANT, the UDP default, sets DF on what fits the path MTU), else in
     * fragments with DF clear, each carrying a multiple of 8 bytes but the last, all with the same
     * identification (RFC 791 §3.2, Linux ip_do_fragment()).
     */
    public void sendFragmentable(int srcAddr, int dstAddr, int protocol, int payloadLength, PayloadWriter writer)
            throws IOException {
        if (payloadLength <= maxPayload()) {
            send(srcAddr, dstAddr, protocol, payloadLength, true, writer);
            return;
        }
        MemorySegment payload = whole.asSlice(0, payloadLength);
        writer.write(payload);
        int identification = nextIdentification();
        int step = maxPayload() / FRAGMENT_UNIT * FRAGMENT_UNIT;
        for (int offset = 0; offset < payloadLength; offset += step) {
            int length = Math.min(step, payloadLength - offset);
            boolean more = offset + length < payloadLength;
            Ipv4Repr header = new Ipv4Repr(srcAddr, dstAddr, protocol, Ipv4Repr.DEFAULT_TTL, length, identification,
                    false, more, offset, 0, 0);
            MemorySegment fragment = buffer.asSlice(0, header.bufferLength());
            header.emit(Ipv4Packet.unchecked(fragment));
            MemorySegment.copy(payload, offset, fragment, header.headerLength(), length);
            link.transmit(fragment);
            counters.countFragmentCreated();
        }
        counters.countOutRequest();
        counters.countFragmented();
    }

    private int nextIdentification() {
        nextIdentification = (nextIdentification + 1) & 0xFFFF;
        return nextIdentification;
    }
}
