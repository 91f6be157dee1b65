package io.tcpsim;

import io.tcpsim.ip.Ipv4ErrorHandler;
import io.tcpsim.ip.Ipv4Layer;
import io.tcpsim.ip.Ipv4Output;
import io.tcpsim.ip.Ipv4Transport;
import io.tcpsim.tcp.FourTuple;
import io.tcpsim.tcp.SegmentOutput;
import io.tcpsim.tcp.TcpLayer;
import io.tcpsim.wire.Icmpv4Quote;
import io.tcpsim.wire.Ipv4Packet;
import io.tcpsim.wire.Malformed;
import io.tcpsim.wire.TcpOptions;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.util.function.BooleanSupplier;

/**
 * The glue between IPv4 and TCP, which never see each other (the tcp package imports neither ip
 * nor link): validates each segment and its checksum (RFC 9293 §3.1) before TCP sees it, emits
 * TCP's segments as IPv4 datagrams with DF set, and passes ICMP unreachables quoting them on.
 * {@link TcpOutput} sends the segments of IPv4 connections here.
 */
final class TcpOverIpv4 implements Ipv4Transport, Ipv4ErrorHandler, SegmentOutput {

    private final Ipv4Layer ipv4;
    private final BooleanSupplier checksumTrusted;
    private final SegmentWriter writer = new SegmentWriter();
    private final TcpRepr received = TcpRepr.reusable();
    private TcpLayer tcp;

    /** {@code checksumTrusted}: whether the link vouches for the checksum of the packet being handled. */
    TcpOverIpv4(Ipv4Layer ipv4, BooleanSupplier checksumTrusted) {
        this.ipv4 = ipv4;
        this.checksumTrusted = checksumTrusted;
    }

    void attach(TcpLayer tcpLayer) {
        this.tcp = tcpLayer;
    }

    /**
     * Reads the segment where it lies in the datagram into the one reusable segment of this
     * stack thread: no slice, view or list per packet (issue 8). TCP keeps nothing of it past
     * its input ({@link TcpRepr#detached()} where it does).
     */
    @Override
    public void input(Ipv4Packet datagram, long nowNanos) {
        MemorySegment packet = datagram.segment();
        int at = datagram.headerLength();
        int length = datagram.totalLength() - at;
        // Validates the header and verifies the checksum, once per segment; options as Linux reads them.
        Malformed problem = received.readAsLinux(packet, at, length);
        if (problem == null && !checksumTrusted.getAsBoolean()
                && !TcpPacket.verifyChecksum(packet, at, length, datagram.srcAddr(), datagram.dstAddr())) {
            problem = Malformed.TCP_BAD_CHECKSUM;
        }
        if (problem != null) {
            countInError(problem);
            ipv4.transportMalformed(problem, datagram);
            return;
        }
        int optionsAt = at + TcpPacket.MIN_HEADER_LENGTH;
        Malformed leftOut = TcpOptions.check(packet, optionsAt, received.payloadOffset() - optionsAt);
        if (leftOut != null) {
            ipv4.transportOptionsIgnored(leftOut, datagram);
        }
        tcp.input(datagram.srcAddr(), datagram.dstAddr(), received, nowNanos);
    }

    /**
     * Linux tcp_v4_rcv(): a data offset below 5 is a bad_packet (TcpInErrs), a checksum error also
     * TcpInCsumErrors; a header cut short is discarded without a count (discard_it).
     */
    private void countInError(Malformed reason) {
        if (reason == Malformed.TCP_BAD_CHECKSUM) {
            tcp.counters().countChecksumError();
        } else if (reason == Malformed.TCP_BAD_DATA_OFFSET) {
            tcp.counters().countInError();
        }
    }

    /** The quoted datagram is one of ours: its source is our side of the connection. */
    @Override
    public void destinationUnreachable(int icmpSrc, int icmpDst, int code, Icmpv4Quote quote, long nowNanos) {
        FourTuple ours = new FourTuple(quote.srcAddr(), quote.srcPort(), quote.dstAddr(), quote.dstPort());
        tcp.icmpUnreachable(icmpSrc, icmpDst, ours, quote.seqNumber(), code, nowNanos);
    }

    @Override
    public void send(FourTuple tuple, TcpRepr segment) {
        try {
            writer.set(segment, tuple, false);
            ipv4.output().send(writer.src, writer.dst, Ipv4Packet.PROTO_TCP, segment.bufferLength(), true, writer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot transmit a TCP segment: " + e.getMessage(), e);
        } finally {
            writer.segment = null;
        }
    }

    /**
     * Writes the segment being sent into its datagram: one writer, its fields set per segment
     * (the stack thread sends one at a time), instead of a lambda made for every segment.
     */
    private static final class SegmentWriter implements Ipv4Output.PayloadWriter {
        private TcpRepr segment;
        private int src;
        private int dst;
        /** The checksum left to the link (TSO), the pseudo-header sum alone. */
        private boolean partial;

        void set(TcpRepr sending, FourTuple tuple, boolean partialChecksum) {
            segment = sending;
            src = tuple.localAddr().ipv4();
            dst = tuple.remoteAddr().ipv4();
            partial = partialChecksum;
        }

        @Override
        public void write(MemorySegment payload) {
            if (partial) {
                segment.writePartial(payload, src, dst);
            } else {
                segment.write(payload, src, dst);
            }
        }
    }

    @Override
    public int segmentationLimit() {
        return ipv4.output().maxSegmentedPayload();
    }

    @Override
    public void sendSegmented(FourTuple tuple, TcpRepr segment, int segmentSize) {
        try {
            writer.set(segment, tuple, true);
            int segments = Math.max(1, Math.ceilDiv(segment.payloadLength(), segmentSize));
            ipv4.output().sendSegmented(writer.src, writer.dst, segment.bufferLength(), segmentSize, segments, writer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot transmit a TCP segment: " + e.getMessage(), e);
        } finally {
            writer.segment = null;
        }
    }
}
