package io.tcpsim.ip;

import io.tcpsim.link.LinkDevice;
import io.tcpsim.wire.Ipv4Packet;
import io.tcpsim.wire.Ipv4Repr;
import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * IPv4 output (RFC 791 §3.1, RFC 1122 §3.3): builds each datagram in one transmit buffer owned by
 * the stack thread (20-byte header, TTL 64, an identification per datagram) and hands it to the
 * link. tcpsim never fragments: a payload that does not fit the link MTU is a caller bug.
 */
public final class Ipv4Output {

    /** Writes a transport payload of the announced length into {@code payload}. */
    @FunctionalInterface
    public interface PayloadWriter {
        void write(MemorySegment payload);
    }

    private final LinkDevice link;
    private final IpCounters counters;
    private final MemorySegment buffer;
    private int nextIdentification;

    Ipv4Output(LinkDevice link, IpCounters counters, MemorySegment buffer) {
        this.link = link;
        this.counters = counters;
        this.buffer = buffer;
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
        if (payloadLength > maxPayload()) {
            throw new IllegalArgumentException("payload of " + payloadLength + " bytes exceeds the link MTU ("
                    + maxPayload() + " bytes of payload)");
        }
        nextIdentification = (nextIdentification + 1) & 0xFFFF;
        Ipv4Repr header = new Ipv4Repr(srcAddr, dstAddr, protocol, Ipv4Repr.DEFAULT_TTL, payloadLength,
                nextIdentification, dontFragment, false, 0, 0, 0);
        MemorySegment datagram = buffer.asSlice(0, header.bufferLength());
        header.emit(Ipv4Packet.unchecked(datagram));
        writer.write(datagram.asSlice(header.headerLength()));
        link.transmit(datagram);
        counters.countOutRequest();
    }
}
