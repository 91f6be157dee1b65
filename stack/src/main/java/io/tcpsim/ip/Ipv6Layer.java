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
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * IPv6 input (RFC 8200, RFC 4443; Linux ipv6_rcv(), ip6_input()): validates each packet, admits
 * those to our address (and ICMPv6 to multicast), walks the extension headers
 * ({@link Ipv6Extensions}), answers echo requests, hands ICMPv6 errors to the transport that sent
 * the invoking packet, ignores the kernel's neighbor discovery and MLD quietly, and gives the rest
 * to the transport of its next-header value. Every packet not delivered is counted under its
 * reason. Runs on the stack thread only.
 */
public final class Ipv6Layer {
    /** ip6frag_time: 60 s. */
    static final long FRAGMENT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** IPV6_MAXPLEN. */
    private static final int MAX_PAYLOAD = 0xFFFF;
    private static final int FRAGMENT_HEADER = 8;
    private static final int PAYLOAD_LENGTH_FIELD = 4;
    /** ICMPV6_EXC_FRAGTIME. */
    private static final int CODE_REASSEMBLY_TIME_EXCEEDED = 1;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** Linux frag_v6_compare_key()'s key, less the interface: fragments of one packet share all three. */
    private record FragmentKey(IpAddress src, IpAddress dst, int id) {
    }

    private final IpAddress localAddress;
    private final IpCounters counters;
    private final DropLog dropLog;
    private final Ipv6Output output;
    private final Icmpv6Errors errors;
    private final Icmpv6Input icmp;
    private final Ipv6Transport[] transports = new Ipv6Transport[256];
    private final Reassembler<FragmentKey> reassembler;
    private final MemorySegment reassembled;

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
        this.reassembler = new Reassembler<>(FRAGMENT_TIMEOUT_NANOS, counters.reassembly6());
        this.reassembled = arena.allocate(Ipv6Packet.HEADER_LENGTH + MAX_PAYLOAD, 8);
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
        process(ip, dst.isMulticast(), nowNanos);
    }

    private void process(Ipv6Packet ip, boolean multicast, long nowNanos) throws IOException {
        MemorySegment packet = ip.segment();
        switch (Ipv6Extensions.walk(ip, multicast)) {
            case Ipv6Extensions.Upper upper -> deliver(ip, upper, multicast, nowNanos);
            case Ipv6Extensions.Fragment fragment -> reassemble(ip, fragment, multicast, nowNanos);
            case Ipv6Extensions.Dropped d -> drop(d.reason(), packet);
            case Ipv6Extensions.Bad b -> malformed(b.reason(), packet);
            case Ipv6Extensions.Problem p -> {
                drop(p.reason(), packet);
                errors.send(ip, -1, 0, Icmpv6Packet.TYPE_PARAMETER_PROBLEM, p.code(), p.pointer(), nowNanos);
            }
        }
    }

    /**
     * RFC 8200 §4.5 reassembly as Linux ipv6_frag_rcv() and ip6_frag_queue() do it: a fragment
     * ending past 65535 bytes gets a parameter problem at its offset field, one with more to come
     * whose data is not a multiple of 8 bytes a parameter problem at the payload length (both code
     * 0, counted Ip6ReasmReqds only); overlaps discard the packet (RFC 5722).
     */
    private void reassemble(Ipv6Packet ip, Ipv6Extensions.Fragment fragment, boolean multicast, long nowNanos)
            throws IOException {
        MemorySegment seg = ip.segment();
        int at = fragment.headerOffset();
        int offsetAndFlags = Short.toUnsignedInt(seg.get(U16, at + 2));
        int offset = offsetAndFlags & 0xFFF8;
        boolean more = (offsetAndFlags & 1) != 0;
        MemorySegment data = seg.asSlice(at + FRAGMENT_HEADER, Ipv6Packet.HEADER_LENGTH + ip.payloadLength() - at - FRAGMENT_HEADER);
        long end = offset + data.byteSize();
        if (end > MAX_PAYLOAD || more && (end & 7) != 0) {
            counters.reassembly6().countRequired();
            int pointer = end > MAX_PAYLOAD ? at + 2 : PAYLOAD_LENGTH_FIELD;
            drop(end > MAX_PAYLOAD ? IpDrop.FRAGMENT_TOO_BIG : IpDrop.FRAGMENT_BAD_LENGTH, seg);
            errors.send(ip, -1, 0, Icmpv6Packet.TYPE_PARAMETER_PROBLEM, Icmpv6Repr.CODE_ERRONEOUS_HEADER, pointer,
                    nowNanos);
            return;
        }
        FragmentKey key = new FragmentKey(IpAddress.ofIpv6(ip.srcAddr()), IpAddress.ofIpv6(ip.dstAddr()),
                seg.get(U32, at + 4));
        MemorySegment packet = seg.asSlice(0, Ipv6Packet.HEADER_LENGTH + ip.payloadLength());
        switch (reassembler.add(key, packet, data, offset, more, nowNanos)) {
            case Reassembler.Queued q -> { }
            case Reassembler.Discarded d -> drop(d.reason(), packet);
            case Reassembler.Complete c -> deliverReassembled(c, multicast, nowNanos);
        }
    }

    /**
     * Linux ip6_frag_reasm(): the first fragment's headers before its Fragment header, the field
     * that named the Fragment header now naming what it carried, then the data; a payload past
     * 65535 bytes is dropped ("oversized"). The packet is then walked on as if it came unfragmented.
     */
    private void deliverReassembled(Reassembler.Complete complete, boolean multicast, long nowNanos)
            throws IOException {
        byte[] first = complete.first();
        MemorySegment.copy(first, 0, reassembled, ValueLayout.JAVA_BYTE, 0, first.length);
        Ipv6Extensions.Fragment fragment = (Ipv6Extensions.Fragment) Ipv6Extensions.walk(
                Ipv6Packet.unchecked(reassembled.asSlice(0, first.length)), multicast);
        int at = fragment.headerOffset();
        int payloadLength = at - Ipv6Packet.HEADER_LENGTH + complete.data().length;
        if (payloadLength > MAX_PAYLOAD) {
            reassembler.failed();
            drop(IpDrop.FRAGMENT_TOO_BIG, MemorySegment.ofArray(first));
            return;
        }
        reassembler.succeeded();
        reassembled.set(ValueLayout.JAVA_BYTE, fragment.fieldOffset(), first[at]);
        MemorySegment.copy(complete.data(), 0, reassembled, ValueLayout.JAVA_BYTE, at, complete.data().length);
        Ipv6Packet ip = Ipv6Packet.unchecked(reassembled.asSlice(0, Ipv6Packet.HEADER_LENGTH + payloadLength));
        ip.setPayloadLength(payloadLength);
        process(ip, multicast, nowNanos);
    }

    /** When a fragment queue times out next; Long.MAX_VALUE without queues. */
    long nextDeadline() {
        return reassembler.nextDeadline();
    }

    /**
     * Drops the fragment queues whose time is up; for each whose first fragment came, sends a time
     * exceeded code 1 quoting it, as Linux ip6frag_expire_frag_queue() does.
     */
    void onTimers(long nowNanos) throws IOException {
        for (Reassembler.Expired expired : reassembler.expire(nowNanos)) {
            if (expired.first() != null) {
                byte[] first = expired.first();
                MemorySegment.copy(first, 0, reassembled, ValueLayout.JAVA_BYTE, 0, first.length);
                errors.send(Ipv6Packet.unchecked(reassembled.asSlice(0, first.length)), -1, 0,
                        Icmpv6Packet.TYPE_TIME_EXCEEDED, CODE_REASSEMBLY_TIME_EXCEEDED, 0, nowNanos);
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
