package io.tcpsim.ip;

import io.tcpsim.link.LinkDevice;
import io.tcpsim.wire.Icmpv4Packet;
import io.tcpsim.wire.Ipv4Address;
import io.tcpsim.wire.Ipv4Packet;
import io.tcpsim.wire.Ipv4Repr;
import io.tcpsim.wire.Malformed;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * IPv4 input (RFC 791, RFC 1122 §3.2.1): validates each packet once, counts every packet it does
 * not deliver under its reason, answers ICMP echo requests, and hands segments to the transport.
 * The link's entry point for both versions: version 6 goes to the attached {@link Ipv6Layer}.
 * Runs on the stack thread only.
 */
public final class Ipv4Layer {

    private static final int IP_VERSION_6 = 6;

    private final int localAddress;
    private final IpCounters counters;
    private final DropLog dropLog = new DropLog();
    private final Ipv4Output output;
    private final Icmpv4Responder icmp;
    private final Icmpv4Errors errors;
    private final Ipv4Transport[] transports = new Ipv4Transport[256];
    private Ipv6Layer ipv6;

    public Ipv4Layer(int localAddress, LinkDevice link, IpCounters counters, Arena arena) {
        this.localAddress = localAddress;
        this.counters = counters;
        this.output = new Ipv4Output(link, counters, arena.allocate(link.mtu(), 8),
                arena.allocate(0xFFFF - Ipv4Packet.MIN_HEADER_LENGTH, 8));
        this.icmp = new Icmpv4Responder(output, counters, dropLog);
        this.errors = new Icmpv4Errors(output, counters);
    }

    /**
     * The IPv6 layer beside this one: packets of version 6 go to it (the link carries both, a TUN
     * without a protocol header says which only by the version nibble). Without one they are
     * counted as {@link IpDrop#IPV6_NOT_CONFIGURED}.
     */
    public void attachIpv6(Ipv6Layer layer) {
        this.ipv6 = layer;
    }

    /** Hands every valid datagram of {@code protocol} addressed to us to {@code transport}. */
    public void register(int protocol, Ipv4Transport transport) {
        transports[protocol] = transport;
    }

    /** Gives {@code handler} the ICMP destination-unreachable messages quoting {@code protocol}. */
    public void registerErrorHandler(int protocol, Ipv4ErrorHandler handler) {
        icmp.register(protocol, handler);
    }

    /** Where transports send from. */
    public Ipv4Output output() {
        return output;
    }

    public int localAddress() {
        return localAddress;
    }

    /** Counts a segment its transport delivered with malformed options left out, and logs it at debug level. */
    public void transportOptionsIgnored(Malformed reason, Ipv4Packet datagram) {
        counters.countOptionsIgnored(reason);
        dropLog.dropped("options ignored: " + reason.description(), datagram.segment());
    }

    /** Counts a datagram its transport found malformed, and logs it at debug level. */
    public void transportMalformed(Malformed reason, Ipv4Packet datagram) {
        malformed(reason, datagram.segment());
    }

    /**
     * Answers {@code offending}, a datagram addressed to us that its transport refused, with an
     * ICMP destination unreachable of {@code code} quoting it (RFC 1122 §3.2.2.1; §4.1.3.1 for
     * UDP's port unreachable), unless the rate limits say no ({@link IcmpRateLimiter}).
     */
    public void sendDestinationUnreachable(Ipv4Packet offending, int code, long nowNanos) throws IOException {
        errors.destinationUnreachable(offending, code, nowNanos);
    }

    /**
     * Processes one packet as it came off the link. Never throws for bad input: an exception from
     * a bug is counted as {@link IpDrop#INTERNAL_ERROR} and logged; only link I/O errors escape.
     */
    public void input(MemorySegment packet, long nowNanos) throws IOException {
        counters.countReceive();
        try {
            receive(packet, nowNanos);
        } catch (RuntimeException e) {
            counters.countDrop(IpDrop.INTERNAL_ERROR);
            dropLog.internalError(packet, e);
        }
    }

    private void receive(MemorySegment packet, long nowNanos) throws IOException {
        if (packet.byteSize() == 0) {
            drop(IpDrop.EMPTY, packet);
            return;
        }
        if (versionOf(packet) == IP_VERSION_6 && ipv6 != null) {
            ipv6.receive(packet, nowNanos);
            return;
        } else if (versionOf(packet) == IP_VERSION_6) {
            drop(IpDrop.IPV6_NOT_CONFIGURED, packet);
            return;
        }
        Malformed malformed = Ipv4Packet.check(packet);
        if (malformed != null) {
            malformed(malformed, packet);
            return;
        }
        Ipv4Packet ip = Ipv4Packet.unchecked(packet);
        if (!ip.verifyChecksum()) {
            malformed(Malformed.IPV4_BAD_CHECKSUM, packet);
            return;
        }
        IpDrop refused = admit(ip);
        if (refused != null) {
            drop(refused, packet);
            return;
        }
        deliver(ip, nowNanos);
    }

    /**
     * The checks after validation, in Linux's order (ip_rcv_core, then routing): a datagram that
     * is not for us, has a martian source or is a fragment goes no further. A source equal to our
     * own address (a "land" packet) is martian too: Linux fib_validate_source() refuses a local
     * source arriving from outside (accept_local 0). TTL is not looked at: Linux delivers a TTL-0
     * datagram addressed to itself (only forwarding checks it, ip_forward()).
     */
    private IpDrop admit(Ipv4Packet ip) {
        if (ip.dstAddr() != localAddress) {
            return IpDrop.NOT_OUR_ADDRESS;
        }
        int src = ip.srcAddr();
        if (Ipv4Address.isMulticast(src) || Ipv4Address.isBroadcast(src) || Ipv4Address.isLoopback(src)
                || Ipv4Address.isUnspecified(src) || src == localAddress) {
            return IpDrop.BAD_SOURCE;
        }
        if (ip.isFragment()) {
            return IpDrop.FRAGMENT;
        }
        return null;
    }

    private void deliver(Ipv4Packet ip, long nowNanos) throws IOException {
        Ipv4Transport transport = transports[ip.protocol()];
        if (ip.protocol() == Ipv4Packet.PROTO_ICMP) {
            counters.countDeliver();
            icmp.input(ip, nowNanos);
        } else if (transport != null) {
            counters.countDeliver();
            transport.input(ip, nowNanos);
        } else {
            drop(IpDrop.UNKNOWN_PROTOCOL, ip.segment());
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

    private static int versionOf(MemorySegment packet) {
        return (packet.get(ValueLayout.JAVA_BYTE, 0) >> 4) & 0xF;
    }
}
