package io.tcpsim.ip;

import io.tcpsim.link.LinkDevice;
import io.tcpsim.wire.Ipv4Address;
import io.tcpsim.wire.Ipv4Packet;
import io.tcpsim.wire.Malformed;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

/**
 * IPv4 input (RFC 791, RFC 1122 §3.2.1): validates each packet once, counts every packet it does
 * not deliver under its reason, answers ICMP echo requests, and hands segments to the transport.
 * The link's entry point for both versions: version 6 goes to the attached {@link Ipv6Layer}.
 * Runs on the stack thread only.
 */
public final class Ipv4Layer {

    private static final int IP_VERSION_6 = 6;
    /** ipfrag_time: 30 s. */
    static final long FRAGMENT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final int MAX_DATAGRAM = 0xFFFF;
    private static final int FRAGMENT_UNIT_MASK = ~7;

    /** Linux ipq's key (ip4_frag_key): fragments of one datagram share all four. */
    private record FragmentKey(int src, int dst, int id, int protocol) {
    }

    private final int localAddress;
    private final IpCounters counters;
    private final DropLog dropLog = new DropLog();
    private final Ipv4Output output;
    private final Icmpv4Responder icmp;
    private final Icmpv4Errors errors;
    private final Ipv4Transport[] transports = new Ipv4Transport[256];
    private final Reassembler<FragmentKey> reassembler;
    private final MemorySegment reassembled;
    /** The view every datagram off the link is read through, moved from one to the next. */
    private final Ipv4Packet received = Ipv4Packet.reusable();
    private Ipv6Layer ipv6;

    public Ipv4Layer(int localAddress, LinkDevice link, IpCounters counters, Arena arena) {
        this.localAddress = localAddress;
        this.counters = counters;
        this.output = new Ipv4Output(link, counters, arena.allocate(link.mtu(), 8),
                arena.allocate(0xFFFF - Ipv4Packet.MIN_HEADER_LENGTH, 8));
        this.icmp = new Icmpv4Responder(output, counters, dropLog);
        this.errors = new Icmpv4Errors(output, counters);
        this.reassembler = new Reassembler<>(FRAGMENT_TIMEOUT_NANOS, counters.reassembly4());
        this.reassembled = arena.allocate(MAX_DATAGRAM, 8);
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
        Ipv4Packet ip = received.moveTo(packet);
        if (!ip.verifyChecksum()) {
            malformed(Malformed.IPV4_BAD_CHECKSUM, packet);
            return;
        }
        IpDrop refused = admit(ip);
        if (refused != null) {
            drop(refused, packet);
            return;
        }
        if (ip.isFragment()) {
            reassemble(ip, nowNanos);
        } else {
            deliver(ip, nowNanos);
        }
    }

    /**
     * RFC 791 §3.2 reassembly as Linux ip_defrag() does it: a fragment with more to come is cut to
     * a multiple of 8 bytes (ip_frag_queue()), the whole datagram goes to its transport with the
     * first fragment's header (options included), flags and offset cleared.
     */
    private void reassemble(Ipv4Packet ip, long nowNanos) throws IOException {
        MemorySegment data = ip.payload();
        if (ip.moreFragments()) {
            data = data.asSlice(0, data.byteSize() & FRAGMENT_UNIT_MASK);
        }
        FragmentKey key = new FragmentKey(ip.srcAddr(), ip.dstAddr(), ip.identification(), ip.protocol());
        MemorySegment packet = ip.segment().asSlice(0, ip.totalLength());
        switch (reassembler.add(key, packet, data, ip.fragmentOffset(), ip.moreFragments(), nowNanos)) {
            case Reassembler.Queued q -> { }
            case Reassembler.Discarded d -> drop(d.reason(), packet);
            case Reassembler.Complete c -> deliverReassembled(c, nowNanos);
        }
    }

    /** Linux ip_frag_reasm(): beyond 65535 bytes the datagram is dropped ("oversized"). */
    private void deliverReassembled(Reassembler.Complete complete, long nowNanos) throws IOException {
        MemorySegment.copy(complete.first(), 0, reassembled, ValueLayout.JAVA_BYTE, 0, Ipv4Packet.MIN_HEADER_LENGTH);
        int headerLength = Ipv4Packet.unchecked(reassembled).headerLength();
        int total = headerLength + complete.data().length;
        if (total > MAX_DATAGRAM) {
            reassembler.failed();
            drop(IpDrop.FRAGMENT_TOO_BIG, MemorySegment.ofArray(complete.first()));
            return;
        }
        reassembler.succeeded();
        MemorySegment.copy(complete.first(), 0, reassembled, ValueLayout.JAVA_BYTE, 0, headerLength);
        MemorySegment.copy(complete.data(), 0, reassembled, ValueLayout.JAVA_BYTE, headerLength,
                complete.data().length);
        Ipv4Packet ip = Ipv4Packet.unchecked(reassembled.asSlice(0, total));
        ip.setTotalLength(total);
        ip.setFlagsAndFragmentOffset(false, false, 0);
        ip.fillChecksum();
        deliver(ip, nowNanos);
    }

    /** When a fragment queue of either family times out next; Long.MAX_VALUE without queues. */
    public long nextDeadline() {
        long own = reassembler.nextDeadline();
        return ipv6 == null ? own : Math.min(own, ipv6.nextDeadline());
    }

    /**
     * Drops the fragment queues of either family whose time is up; for each whose first fragment
     * came, sends a time exceeded code 1 quoting it, as Linux ip_expire() does.
     */
    public void onTimers(long nowNanos) throws IOException {
        for (Reassembler.Expired expired : reassembler.expire(nowNanos)) {
            if (expired.first() != null) {
                MemorySegment.copy(expired.first(), 0, reassembled, ValueLayout.JAVA_BYTE, 0, expired.first().length);
                errors.reassemblyTimeExceeded(Ipv4Packet.unchecked(reassembled.asSlice(0, expired.first().length)),
                        nowNanos);
            }
        }
        if (ipv6 != null) {
            ipv6.onTimers(nowNanos);
        }
    }

    /**
     * The checks after validation, in Linux's order (ip_rcv_core, then routing): a datagram that
     * is not for us or has a martian source goes no further. A source equal to our
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
