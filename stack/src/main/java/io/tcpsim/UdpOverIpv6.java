package io.tcpsim;

import io.tcpsim.ip.Ipv6ErrorHandler;
import io.tcpsim.ip.Ipv6Layer;
import io.tcpsim.ip.Ipv6Transport;
import io.tcpsim.udp.DatagramOutput;
import io.tcpsim.udp.UdpError;
import io.tcpsim.udp.UdpLayer;
import io.tcpsim.wire.Icmpv6Repr;
import io.tcpsim.wire.IpAddress;
import io.tcpsim.wire.Ipv4Packet;
import io.tcpsim.wire.Ipv6Packet;
import io.tcpsim.wire.Malformed;
import io.tcpsim.wire.MalformedPacketException;
import io.tcpsim.wire.UdpPacket;
import io.tcpsim.wire.UdpRepr;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.util.function.BooleanSupplier;

/**
 * The glue between IPv6 and UDP (RFC 8200 §8.1, RFC 768): validates each datagram's length and
 * its checksum over the IPv6 pseudo-header (mandatory: a zero checksum is dropped and counted)
 * before UDP sees it, answers a datagram no socket takes with an ICMPv6 port unreachable (RFC
 * 4443 §3.1 code 4, rate limited), emits UDP's IPv6 datagrams (in fragments when larger than the
 * link allows), and passes ICMPv6 errors quoting them on.
 */
final class UdpOverIpv6 implements Ipv6Transport, Ipv6ErrorHandler, DatagramOutput {
    private final Ipv6Layer ipv6;
    private final BooleanSupplier checksumTrusted;
    private UdpLayer udp;

    /** {@code checksumTrusted}: whether the link vouches for the checksum of the packet being handled. */
    UdpOverIpv6(Ipv6Layer ipv6, BooleanSupplier checksumTrusted) {
        this.ipv6 = ipv6;
        this.checksumTrusted = checksumTrusted;
    }

    void attach(UdpLayer udpLayer) {
        this.udp = udpLayer;
    }

    /**
     * Linux __udp6_lib_rcv(): a datagram with a bad length, or a zero or wrong checksum
     * (udp6_csum_init()), is dropped and counted without an ICMPv6 error; one no socket takes gets
     * a port unreachable.
     */
    @Override
    public void input(Ipv6Packet packet, MemorySegment payload, long nowNanos) throws IOException {
        UdpRepr repr;
        try {
            repr = UdpRepr.parse(UdpPacket.checked(payload), packet.srcAddr(), packet.dstAddr(),
                    !checksumTrusted.getAsBoolean());
        } catch (MalformedPacketException e) {
            if (e.reason() == Malformed.UDP_BAD_CHECKSUM || e.reason() == Malformed.UDP_ZERO_CHECKSUM_IPV6) {
                udp.counters().countCsumError();
            } else {
                udp.counters().countInError();
            }
            ipv6.transportMalformed(e.reason(), packet);
            return;
        }
        if (!udp.input(IpAddress.ofIpv6(packet.srcAddr()), IpAddress.ofIpv6(packet.dstAddr()), repr, nowNanos)) {
            // The payload runs from after the extension headers to the end of the packet.
            int upperOffset = (int) (Ipv6Packet.HEADER_LENGTH + packet.payloadLength() - payload.byteSize());
            ipv6.sendDestinationUnreachable(packet, upperOffset, Ipv4Packet.PROTO_UDP,
                    Icmpv6Repr.CODE_PORT_UNREACHABLE, nowNanos);
        }
    }

    /** The quoted datagram is one of ours: its source is our side. */
    @Override
    public void error(int type, int code, int restOfHeader, IpAddress quotedSrc, IpAddress quotedDst,
                      MemorySegment quotedUpper, long nowNanos) {
        UdpPacket quoted = UdpPacket.unchecked(quotedUpper);
        udp.icmpError(quotedSrc, quoted.srcPort(), quotedDst, quoted.dstPort(), UdpError.ofIcmpv6(type, code));
    }

    @Override
    public void send(IpAddress srcAddr, IpAddress dstAddr, UdpRepr datagram) {
        MemorySegment src = srcAddr.segment();
        MemorySegment dst = dstAddr.segment();
        try {
            ipv6.output().sendFragmentable(srcAddr, dstAddr, Ipv4Packet.PROTO_UDP, datagram.bufferLength(),
                    payload -> datagram.emit(UdpPacket.unchecked(payload), src, dst));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot transmit a UDP datagram: " + e.getMessage(), e);
        }
    }
}
