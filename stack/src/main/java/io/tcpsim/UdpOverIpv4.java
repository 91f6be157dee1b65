package io.tcpsim;

import io.tcpsim.ip.Ipv4ErrorHandler;
import io.tcpsim.ip.Ipv4Layer;
import io.tcpsim.ip.Ipv4Transport;
import io.tcpsim.udp.DatagramOutput;
import io.tcpsim.udp.UdpError;
import io.tcpsim.udp.UdpLayer;
import io.tcpsim.wire.Icmpv4Quote;
import io.tcpsim.wire.Icmpv4Repr;
import io.tcpsim.wire.IpAddress;
import io.tcpsim.wire.Ipv4Packet;
import io.tcpsim.wire.Malformed;
import io.tcpsim.wire.MalformedPacketException;
import io.tcpsim.wire.UdpPacket;
import io.tcpsim.wire.UdpRepr;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.BooleanSupplier;

/**
 * The glue between IPv4 and UDP, which never see each other: validates each datagram's length and
 * checksum (RFC 768) before UDP sees it, answers a datagram no socket takes with an ICMP port
 * unreachable (RFC 1122 §4.1.3.1), emits UDP's datagrams over IPv4 (fragmented when larger than
 * the link allows) and passes ICMP unreachables quoting them on.
 */
final class UdpOverIpv4 implements Ipv4Transport, Ipv4ErrorHandler, DatagramOutput {

    private final Ipv4Layer ipv4;
    private final BooleanSupplier checksumTrusted;
    private UdpLayer udp;

    /** {@code checksumTrusted}: whether the link vouches for the checksum of the packet being handled. */
    UdpOverIpv4(Ipv4Layer ipv4, BooleanSupplier checksumTrusted) {
        this.ipv4 = ipv4;
        this.checksumTrusted = checksumTrusted;
    }

    void attach(UdpLayer udpLayer) {
        this.udp = udpLayer;
    }

    /**
     * Linux __udp4_lib_rcv(): a datagram with a bad length or checksum is dropped and counted,
     * without an ICMP error; one no socket takes gets a port unreachable (rate limited).
     */
    @Override
    public void input(Ipv4Packet datagram, long nowNanos) throws IOException {
        UdpRepr repr;
        try {
            repr = UdpRepr.parse(UdpPacket.checked(datagram.payload()), datagram.srcAddr(), datagram.dstAddr(),
                    !checksumTrusted.getAsBoolean());
        } catch (MalformedPacketException e) {
            if (e.reason() == Malformed.UDP_BAD_CHECKSUM) {
                udp.counters().countCsumError();
            } else {
                udp.counters().countInError();
            }
            ipv4.transportMalformed(e.reason(), datagram);
            return;
        }
        if (!udp.input(IpAddress.ofIpv4(datagram.srcAddr()), IpAddress.ofIpv4(datagram.dstAddr()), repr, nowNanos)) {
            ipv4.sendDestinationUnreachable(datagram,
                    Icmpv4Repr.DestinationUnreachable.CODE_PORT_UNREACHABLE, nowNanos);
        }
    }

    @Override
    public void destinationUnreachable(int icmpSrc, int icmpDst, int code, Icmpv4Quote quote, long nowNanos) {
        udp.icmpError(IpAddress.ofIpv4(quote.srcAddr()), quote.srcPort(), IpAddress.ofIpv4(quote.dstAddr()),
                quote.dstPort(), UdpError.ofUnreachableCode(code));
    }

    @Override
    public void send(IpAddress source, IpAddress destination, UdpRepr datagram) {
        int srcAddr = source.ipv4();
        int dstAddr = destination.ipv4();
        try {
            ipv4.output().sendFragmentable(srcAddr, dstAddr, Ipv4Packet.PROTO_UDP, datagram.bufferLength(),
                    payload -> datagram.emit(UdpPacket.unchecked(payload), srcAddr, dstAddr));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot transmit a UDP datagram: " + e.getMessage(), e);
        }
    }
}
