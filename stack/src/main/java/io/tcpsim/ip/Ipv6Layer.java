package io.tcpsim.ip;

import io.tcpsim.link.LinkDevice;
import io.tcpsim.wire.Icmpv6Packet;
import io.tcpsim.wire.Icmpv6Repr;
import io.tcpsim.wire.IpAddress;
import io.tcpsim.wire.Ipv6Packet;
import io.tcpsim.wire.Malformed;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * IPv6 input (RFC 8200, RFC 4443; Linux ipv6_rcv(), ip6_input()): validates each packet, admits
 * those to our address (and ICMPv6 to multicast), walks the extension headers
 * ({@link Ipv6Extensions}), answers echo requests, hands ICMPv6 errors to the transport that sent
 * the invoking packet, ignores the kernel's neighbor discovery and MLD quietly, and gives the rest
 * to the transport of its next-header value. Every packet not delivered is counted under its
 * reason. Runs on the stack thread only.
 */
public final class Ipv6Layer {
    private final IpAddress localAddress;
    private final IpCounters counters;
    private final DropLog dropLog;
    private final Ipv6Output output;
    private final Icmpv6Errors errors;
    private final Icmpv6Input icmp;
    private final Ipv6Transport[] transports = new Ipv6Transport[256];

    /**
     * @param localAddress our IPv6 address
     * @param counters     shared with the IPv4 layer: one set of counters per stack, like Linux's MIBs
     */
    public Ipv6Layer(IpAddress localAddress, LinkDevice link, IpCounters counters, Arena arena) {
        this.localAddress = localAddress;
        this.counters = counters;
        this.dropLog = new DropLog();
        this.output = new Ipv6Output(link, counters, arena.allocate(link.mtu(), 8), arena.allocate(0xFFFF, 8));
        this.errors = new Icmpv6Errors(localAddress, output, counters);
        this.icmp = new Icmpv6Input(localAddress, output, counters, dropLog);
    }

    /** Hands every valid packet whose upper layer is {@code nextHeader} to {@code transport}. */
    public void register(int nextHeader, Ipv6Transport transport) {
        transports[nextHeader] = transport;
    }

    /** Gives {@code handler} the ICMPv6 errors quoting packets of {@code nextHeader}. */
    public void registerErrorHandler(int nextHeader, Ipv6ErrorHandler handler) {
        icmp.register(nextHeader, handler);
    }

    public Ipv6Output output() {
        return output;
    }

    public IpAddress localAddress() {
        return localAddress;
    }

    /** Counts a packet its transport found malformed, and logs it at debug level. */
    public void transportMalformed(Malformed reason, Ipv6Packet packet) {
        counters.countMalformed(reason);
        dropLog.dropped(reason.description(), packet.segment());
    }

    /**
     * Answers {@code offending}, a packet its transport refused, with a destination unreachable
     * of {@code code} (RFC 4443 §3.1; code 4 is UDP's port unreachable), within the rules and
     * rate limits of {@link Icmpv6Errors}.
     */
    public void sendDestinationUnreachable(Ipv6Packet offending, int upperOffset, int nextHeader, int code,
                                           long nowNanos) throws IOException {
        errors.send(offending, nextHeader, upperOffset, Icmpv6Packet.TYPE_DEST_UNREACHABLE, code, 0, nowNanos);
    }

    /** Processes one IPv6 packet from the link; the caller counted it received and catches bugs. */
    void receive(MemorySegment packet, long nowNanos) throws IOException {
        Malformed malformed = Ipv6Packet.check(packet);
        if (malformed != null) {
            malformed(malformed, packet);
            return;
        }
        Ipv6Packet ip = Ipv6Packet.unchecked(packet);
        IpAddress dst = IpAddress.ofIpv6(ip.dstAddr());
        IpDrop refused = admit(ip, dst);
        if (refused != null) {
            drop(refused, packet);
            return;
        }
        switch (Ipv6Extensions.walk(ip, dst.isMulticast())) {
            case Ipv6Extensions.Upper upper -> deliver(ip, upper, dst.isMulticast(), nowNanos);
            case Ipv6Extensions.Dropped d -> drop(d.reason(), packet);
            case Ipv6Extensions.Bad b -> malformed(b.reason(), packet);
            case Ipv6Extensions.Problem p -> {
                drop(p.reason(), packet);
                errors.send(ip, -1, 0, Icmpv6Packet.TYPE_PARAMETER_PROBLEM, p.code(), p.pointer(), nowNanos);
            }
        }
    }

    /**
     * Linux ipv6_rcv()'s checks, then routing: the source may not be multicast, or IPv4-mapped
     * (RFC 4291 §2.5.5.2); the destination must be ours or multicast (for ICMPv6); hop limit 0 is
     * dropped like IPv4's TTL 0 (Linux delivers it).
     */
    private IpDrop admit(Ipv6Packet ip, IpAddress dst) {
        IpAddress src = IpAddress.ofIpv6(ip.srcAddr());
        if (!dst.equals(localAddress) && !dst.isMulticast()) {
            return IpDrop.NOT_OUR_ADDRESS;
        } else if (src.isMulticast() || src.isIpv4()) {
            return IpDrop.BAD_SOURCE;
        } else if (ip.hopLimit() == 0) {
            return IpDrop.HOP_LIMIT_ZERO;
        }
        return null;
    }

    private void deliver(Ipv6Packet ip, Ipv6Extensions.Upper upper, boolean multicast, long nowNanos)
            throws IOException {
        MemorySegment payload = ip.segment().asSlice(upper.offset(),
                Ipv6Packet.HEADER_LENGTH + ip.payloadLength() - upper.offset());
        Ipv6Transport transport = transports[upper.protocol()];
        if (upper.protocol() == Icmpv6Packet.NEXT_HEADER) {
            icmp.input(ip, payload, nowNanos);
        } else if (multicast) {
            drop(IpDrop.NOT_OUR_ADDRESS, ip.segment());
        } else if (transport != null) {
            counters.countDeliver();
            transport.input(ip, payload, nowNanos);
        } else {
            drop(IpDrop.UNKNOWN_PROTOCOL, ip.segment());
            errors.send(ip, upper.protocol(), upper.offset(), Icmpv6Packet.TYPE_PARAMETER_PROBLEM,
                    Icmpv6Repr.CODE_UNRECOGNIZED_NEXT_HEADER, upper.fieldOffset(), nowNanos);
        }
    }

    private void drop(IpDrop reason, MemorySegment packet) {
        counters.countDrop(reason);
        dropLog.dropped(reason.description(), packet);
    }

    private void malformed(Malformed reason, MemorySegment packet) {
        counters.countMalformed(reason);
        dropLog.dropped(reason.description(), packet);
    }
}
