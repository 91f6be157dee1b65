package io.tcpsim.ip;

import io.tcpsim.wire.Checksum;
import io.tcpsim.wire.Icmpv4Packet;
import io.tcpsim.wire.Ipv4Packet;
import io.tcpsim.wire.Icmpv4Quote;
import io.tcpsim.wire.Malformed;
import io.tcpsim.wire.MalformedPacketException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * ICMPv4 input (RFC 792, RFC 1122 §3.2.2): validates the message and answers echo requests.
 * Error messages are counted here until TCP consumes them (destination unreachable ends a connect).
 */
final class Icmpv4Responder {

    private final Ipv4Output output;
    private final IpCounters counters;
    private final DropLog dropLog;
    private final Ipv4ErrorHandler[] errorHandlers = new Ipv4ErrorHandler[256];

    Icmpv4Responder(Ipv4Output output, IpCounters counters, DropLog dropLog) {
        this.output = output;
        this.counters = counters;
        this.dropLog = dropLog;
    }

    /** Where destination-unreachable messages go, by the quoted datagram's protocol. */
    void register(int protocol, Ipv4ErrorHandler handler) {
        errorHandlers[protocol] = handler;
    }

    void input(Ipv4Packet ip, long nowNanos) throws IOException {
        MemorySegment message = ip.payload();
        Malformed malformed = Icmpv4Packet.check(message);
        if (malformed == null && !Icmpv4Packet.unchecked(message).verifyChecksum()) {
            malformed = Malformed.ICMP_BAD_CHECKSUM;
        }
        if (malformed != null) {
            counters.countMalformed(malformed);
            dropLog.dropped(malformed.description(), ip.segment());
            return;
        }
        Icmpv4Packet icmp = Icmpv4Packet.unchecked(message);
        if (icmp.type() == Icmpv4Packet.TYPE_ECHO_REQUEST) {
            counters.countEchoRequest();
            echoReply(ip, icmp);
        } else if (icmp.type() == Icmpv4Packet.TYPE_DEST_UNREACHABLE) {
            destinationUnreachable(ip, icmp, nowNanos);
        } else {
            notHandled(ip);
        }
    }

    /** RFC 1122 §3.2.2.1: hand the error, with the quoted datagram, to its transport. */
    private void destinationUnreachable(Ipv4Packet ip, Icmpv4Packet icmp, long nowNanos) {
        Icmpv4Quote quote;
        try {
            quote = Icmpv4Quote.parse(icmp.data());
        } catch (MalformedPacketException e) {
            counters.countMalformed(e.reason());
            dropLog.dropped(e.reason().description(), ip.segment());
            return;
        }
        Ipv4ErrorHandler handler = errorHandlers[quote.protocol()];
        if (handler == null) {
            notHandled(ip);
            return;
        }
        handler.destinationUnreachable(ip.srcAddr(), ip.dstAddr(), icmp.code(), quote, nowNanos);
    }

    private void notHandled(Ipv4Packet ip) {
        counters.countDrop(IpDrop.ICMP_TYPE_NOT_HANDLED);
        dropLog.dropped(IpDrop.ICMP_TYPE_NOT_HANDLED.description(), ip.segment());
    }

    /**
     * RFC 792 echo: the reply returns the request's identifier, sequence number and data, type
     * changed to 0; RFC 1122 §3.2.2.6: from the address the request was sent to. The ICMP checksum
     * is updated for the type change alone (RFC 1624 eqn. 3) since nothing else in it changes.
     * IP options of the request are not reflected (Linux echoes record-route and timestamp).
     */
    private void echoReply(Ipv4Packet request, Icmpv4Packet echo) throws IOException {
        MemorySegment message = echo.segment();
        output.send(request.dstAddr(), request.srcAddr(), Ipv4Packet.PROTO_ICMP, (int) message.byteSize(), false,
                payload -> {
                    MemorySegment.copy(message, 0, payload, 0, message.byteSize());
                    Icmpv4Packet reply = Icmpv4Packet.unchecked(payload);
                    reply.setType(Icmpv4Packet.TYPE_ECHO_REPLY);
                    reply.setChecksum(Checksum.update(echo.checksum(), typeAndCode(echo.type(), echo.code()),
                            typeAndCode(Icmpv4Packet.TYPE_ECHO_REPLY, echo.code())));
                });
        counters.countEchoReply();
    }

    private static int typeAndCode(int type, int code) {
        return (type << 8) | code;
    }
}
