package io.tcpsim;

import io.tcpsim.ip.Ipv6ErrorHandler;
import io.tcpsim.ip.Ipv6Layer;
import io.tcpsim.ip.Ipv6Transport;
import io.tcpsim.tcp.FourTuple;
import io.tcpsim.tcp.SegmentOutput;
import io.tcpsim.tcp.TcpLayer;
import io.tcpsim.wire.Icmpv6Packet;
import io.tcpsim.wire.IpAddress;
import io.tcpsim.wire.Ipv4Packet;
import io.tcpsim.wire.Ipv6Packet;
import io.tcpsim.wire.MalformedPacketException;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.function.BooleanSupplier;

/**
 * The glue between IPv6 and TCP (RFC 8200 §8.1, RFC 9293): validates each segment and its
 * checksum over the IPv6 pseudo-header before TCP sees it, emits TCP's segments of IPv6
 * connections as IPv6 packets, and passes ICMPv6 errors quoting them on (packet too big lowers
 * the connection's MSS). TCP itself is the same for both versions.
 */
final class TcpOverIpv6 implements Ipv6Transport, Ipv6ErrorHandler, SegmentOutput {
    private static final int SEQ_OFFSET = 4;
    private static final ValueLayout.OfShort NETWORK_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt NETWORK_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final Ipv6Layer ipv6;
    private final BooleanSupplier checksumTrusted;
    private TcpLayer tcp;

    /** {@code checksumTrusted}: whether the link vouches for the checksum of the packet being handled. */
    TcpOverIpv6(Ipv6Layer ipv6, BooleanSupplier checksumTrusted) {
        this.ipv6 = ipv6;
        this.checksumTrusted = checksumTrusted;
    }

    void attach(TcpLayer tcpLayer) {
        this.tcp = tcpLayer;
    }

    @Override
    public void input(Ipv6Packet packet, MemorySegment payload, long nowNanos) {
        TcpRepr segment;
        try {
            segment = TcpRepr.parse(TcpPacket.checked(payload), packet.srcAddr(), packet.dstAddr(),
                    !checksumTrusted.getAsBoolean());
        } catch (MalformedPacketException e) {
            tcp.counters().countInError();
            ipv6.transportMalformed(e.reason(), packet);
            return;
        }
        tcp.input(IpAddress.ofIpv6(packet.srcAddr()), IpAddress.ofIpv6(packet.dstAddr()), segment, nowNanos);
    }

    /** The quoted packet is one of ours: its source is our side of the connection. */
    @Override
    public void error(int type, int code, int restOfHeader, IpAddress quotedSrc, IpAddress quotedDst,
                      MemorySegment quotedUpper, long nowNanos) {
        int srcPort = Short.toUnsignedInt(quotedUpper.get(NETWORK_SHORT, 0));
        int dstPort = Short.toUnsignedInt(quotedUpper.get(NETWORK_SHORT, 2));
        int seq = quotedUpper.get(NETWORK_INT, SEQ_OFFSET);
        FourTuple ours = new FourTuple(quotedSrc, srcPort, quotedDst, dstPort);
        if (type == Icmpv6Packet.TYPE_PACKET_TOO_BIG) {
            tcp.packetTooBig(ours, seq, restOfHeader, nowNanos);
        } else {
            tcp.icmpv6Error(ours, seq, type, code, nowNanos);
        }
    }

    @Override
    public void send(FourTuple tuple, TcpRepr segment) {
        MemorySegment src = tuple.localAddr().segment();
        MemorySegment dst = tuple.remoteAddr().segment();
        try {
            ipv6.output().send(tuple.localAddr(), tuple.remoteAddr(), Ipv4Packet.PROTO_TCP, segment.bufferLength(),
                    payload -> segment.emit(TcpPacket.unchecked(payload), src, dst));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot transmit a TCP segment: " + e.getMessage(), e);
        }
    }

    @Override
    public int segmentationLimit() {
        return ipv6.output().maxSegmentedPayload();
    }

    @Override
    public void sendSegmented(FourTuple tuple, TcpRepr segment, int segmentSize) {
        MemorySegment src = tuple.localAddr().segment();
        MemorySegment dst = tuple.remoteAddr().segment();
        try {
            ipv6.output().sendSegmented(tuple.localAddr(), tuple.remoteAddr(), segment.bufferLength(), segmentSize,
                    payload -> segment.emitPartial(TcpPacket.unchecked(payload), src, dst));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot transmit a TCP segment: " + e.getMessage(), e);
        }
    }
}
