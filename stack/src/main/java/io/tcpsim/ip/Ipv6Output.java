package io.tcpsim.ip;

import io.tcpsim.link.LinkDevice;
import io.tcpsim.wire.IpAddress;
import io.tcpsim.wire.Ipv6Packet;
import io.tcpsim.wire.Ipv6Repr;
import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * IPv6 output (RFC 8200 §3): builds each packet in one transmit buffer owned by the stack thread
 * (the 40-byte header, no extension headers, hop limit 64 as Linux's default, traffic class and
 * flow label 0) and hands it to the link. It never fragments (RFC 8200 §5: only the source does,
 * and tcpsim's TCP sizes its segments to the path); a payload over the MTU is a caller bug.
 */
public final class Ipv6Output {
    /** Linux net.ipv6.conf.*.hop_limit. */
    public static final int DEFAULT_HOP_LIMIT = 64;

    private final LinkDevice link;
    private final IpCounters counters;
    private final MemorySegment buffer;

    /** @param buffer the transmit buffer, the link MTU in size */
    Ipv6Output(LinkDevice link, IpCounters counters, MemorySegment buffer) {
        this.link = link;
        this.counters = counters;
        this.buffer = buffer;
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
}
