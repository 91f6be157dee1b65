package io.tcpsim.ip;

import io.tcpsim.wire.Icmpv6Repr;
import io.tcpsim.wire.Ipv6Packet;
import io.tcpsim.wire.Malformed;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The walk over a received packet's extension headers to its upper layer, as Linux's ipv6_rcv()
 * and ip6_protocol_deliver_rcu() do it (RFC 8200 §4):
 * <ul>
 *   <li>hop-by-hop options (0) only right after the IPv6 header, destination options (60): their
 *       options are parsed (ip6_parse_tlv()); Pad1, PadN and, in hop-by-hop, router alert,
 *       CALIPSO and jumbo payload are known; an unknown one acts by its two high bits (§4.2):
 *       skip, discard, discard with a parameter problem code 2, or the same unless the
 *       destination is multicast;</li>
 *   <li>routing (43): ignored with segments left 0 (§4.4); else a parameter problem pointing at
 *       the routing type, as Linux answers the types it does not route (tcpsim is no router);</li>
 *   <li>fragment (44): an atomic fragment (offset 0, M clear, RFC 6946) is walked past; any other
 *       ends the walk, to be reassembled (Linux ipv6_frag_rcv());</li>
 *   <li>no next header (59): the packet ends there (§4.7), counted;</li>
 *   <li>anything else is the upper layer; a value no transport handles gets a parameter problem
 *       code 1 pointing at the next-header field that named it (Linux ip6_protocol_deliver_rcu()).</li>
 * </ul>
 */
final class Ipv6Extensions {
    /** What the walk decided. */
    sealed interface Outcome {
    }

    /** The upper layer {@code protocol} starts at {@code offset}; its next-header field is at {@code fieldOffset}. */
    record Upper(int protocol, int offset, int fieldOffset) implements Outcome {
    }

    /** A fragment of a larger packet: its Fragment header is at {@code headerOffset}, named by the next-header field at {@code fieldOffset}. */
    record Fragment(int headerOffset, int fieldOffset) implements Outcome {
    }

    /** Dropped for a policy reason. */
    record Dropped(IpDrop reason) implements Outcome {
    }

    /** A header that does not fit the packet. */
    record Bad(Malformed reason) implements Outcome {
    }

    /** Dropped with a parameter problem (RFC 4443 §3.4) of {@code code} at {@code pointer}, counted as {@code reason}. */
    record Problem(int code, int pointer, IpDrop reason) implements Outcome {
    }

    private static final int MIN_HEADER = 8;
    private static final int FRAGMENT_HEADER = 8;
    private static final int PAD1 = 0;
    private static final int PADN = 1;
    private static final int ROUTER_ALERT = 5;
    private static final int CALIPSO = 7;
    private static final int JUMBO = 0xC2;

    private Ipv6Extensions() {
    }

    /** Walks {@code packet} (validated by {@link Ipv6Packet#check}); {@code multicast}: its destination is. */
    static Outcome walk(Ipv6Packet packet, boolean multicast) {
        MemorySegment seg = packet.segment();
        int end = Ipv6Packet.HEADER_LENGTH + packet.payloadLength();
        int next = packet.nextHeader();
        int field = 6;
        int offset = Ipv6Packet.HEADER_LENGTH;
        while (true) {
            switch (next) {
                case Ipv6Packet.NEXT_HOP_BY_HOP, Ipv6Packet.NEXT_DESTINATION_OPTIONS -> {
                    if (next == Ipv6Packet.NEXT_HOP_BY_HOP && offset != Ipv6Packet.HEADER_LENGTH) {
                        return new Problem(Icmpv6Repr.CODE_UNRECOGNIZED_NEXT_HEADER, field, IpDrop.UNKNOWN_PROTOCOL);
                    }
                    Outcome bad = extent(seg, offset, end);
                    if (bad != null) {
                        return bad;
                    }
                    int length = (u8(seg, offset + 1) + 1) * 8;
                    Outcome options = options(seg, offset, length, next == Ipv6Packet.NEXT_HOP_BY_HOP, multicast);
                    if (options != null) {
                        return options;
                    }
                    field = offset;
                    next = u8(seg, offset);
                    offset += length;
                }
                case Ipv6Packet.NEXT_ROUTING -> {
                    Outcome bad = extent(seg, offset, end);
                    if (bad != null) {
                        return bad;
                    } else if (u8(seg, offset + 3) != 0) {
                        return new Problem(Icmpv6Repr.CODE_ERRONEOUS_HEADER, offset + 2, IpDrop.IPV6_ROUTING_HEADER);
                    }
                    field = offset;
                    next = u8(seg, offset);
                    offset += (u8(seg, offset + 1) + 1) * 8;
                }
                case Ipv6Packet.NEXT_FRAGMENT -> {
                    if (end - offset < FRAGMENT_HEADER) {
                        return new Bad(Malformed.IPV6_EXT_HEADER_TRUNCATED);
                    } else if ((u16(seg, offset + 2) & 0xFFF9) != 0) {
                        return new Fragment(offset, field);
                    }
                    field = offset;
                    next = u8(seg, offset);
                    offset += FRAGMENT_HEADER;
                }
                case Ipv6Packet.NEXT_NONE -> {
                    return new Dropped(IpDrop.IPV6_NO_NEXT_HEADER);
                }
                default -> {
                    return new Upper(next, offset, field);
                }
            }
        }
    }

    /** Null when the header's 8 bytes and its length fit before {@code end}. */
    private static Outcome extent(MemorySegment seg, int offset, int end) {
        if (end - offset < MIN_HEADER) {
            return new Bad(Malformed.IPV6_EXT_HEADER_TRUNCATED);
        } else if (offset + (u8(seg, offset + 1) + 1) * 8 > end) {
            return new Bad(Malformed.IPV6_EXT_HEADER_PAST_PAYLOAD);
        }
        return null;
    }

    /** Linux ip6_parse_tlv(): null when every option is known or skippable. */
    private static Outcome options(MemorySegment seg, int offset, int length, boolean hopByHop, boolean multicast) {
        int at = offset + 2;
        int end = offset + length;
        while (at < end) {
            int type = u8(seg, at);
            if (type == PAD1) {
                at++;
                continue;
            }
            if (at + 2 > end || at + 2 + u8(seg, at + 1) > end) {
                return new Bad(Malformed.IPV6_EXT_HEADER_TRUNCATED);
            }
            if (!known(type, hopByHop)) {
                Outcome unknown = unknownOption(type, at, multicast);
                if (unknown != null) {
                    return unknown;
                }
            }
            at += 2 + u8(seg, at + 1);
        }
        return null;
    }

    private static boolean known(int type, boolean hopByHop) {
        return type == PADN || hopByHop && (type == ROUTER_ALERT || type == CALIPSO || type == JUMBO);
    }

    /** RFC 8200 §4.2 (Linux ip6_tlvopt_unknown()): the two high bits of the type say what to do. */
    private static Outcome unknownOption(int type, int at, boolean multicast) {
        return switch (type >>> 6) {
            case 0 -> null;
            case 1 -> new Dropped(IpDrop.IPV6_UNKNOWN_OPTION);
            case 2 -> new Problem(Icmpv6Repr.CODE_UNRECOGNIZED_OPTION, at, IpDrop.IPV6_UNKNOWN_OPTION);
            default -> multicast ? new Dropped(IpDrop.IPV6_UNKNOWN_OPTION)
                    : new Problem(Icmpv6Repr.CODE_UNRECOGNIZED_OPTION, at, IpDrop.IPV6_UNKNOWN_OPTION);
        };
    }

    private static int u8(MemorySegment seg, int offset) {
        return Byte.toUnsignedInt(seg.get(ValueLayout.JAVA_BYTE, offset));
    }

    private static int u16(MemorySegment seg, int offset) {
        return u8(seg, offset) << 8 | u8(seg, offset + 1);
    }
}
