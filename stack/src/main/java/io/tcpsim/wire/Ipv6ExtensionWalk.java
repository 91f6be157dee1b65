package io.tcpsim.wire;

import static io.tcpsim.wire.NetworkOrder.i32;
import static io.tcpsim.wire.NetworkOrder.u16;
import static io.tcpsim.wire.NetworkOrder.u8;

import java.lang.foreign.MemorySegment;
import java.util.Optional;

/**
 * The result of walking an IPv6 packet's extension headers (RFC 8200 §4) to its upper layer.
 *
 * <p>Walked: hop-by-hop options (0, first only, RFC 8200 §4.1), routing (43), fragment (44),
 * destination options (60) and authentication (51, RFC 4302 §2: length in 4-byte units minus 2).
 * The walk stops at any other next-header value: an upper-layer protocol, no-next-header (59) or
 * ESP (50, whose contents are encrypted). After a fragment header with a non-zero offset it stops
 * too: that fragment's data carries no upper-layer header.
 *
 * @param upperProtocol    the next-header value where the walk stopped
 * @param upperOffset      offset of that header from the start of the IPv6 packet
 * @param extensionHeaders number of extension headers walked
 * @param fragment         the fragment header, if one was seen (RFC 8200 §4.5)
 */
public record Ipv6ExtensionWalk(int upperProtocol, int upperOffset, int extensionHeaders,
                                Optional<FragmentHeader> fragment) {
    /** Bound on the chain length; RFC 8200 §4.1 allows each header once (destination options twice). */
    public static final int MAX_EXTENSION_HEADERS = 8;
    private static final int FRAGMENT_HEADER_LENGTH = 8;
    private static final int MIN_EXTENSION_LENGTH = 8;

    /**
     * A fragment header (RFC 8200 §4.5).
     *
     * @param headerOffset   where it starts in the packet
     * @param fragmentOffset the fragment's offset in bytes (the field counts 8-byte units)
     * @param moreFragments  the M flag
     * @param identification the 32-bit identification, raw
     */
    public record FragmentHeader(int headerOffset, int fragmentOffset, boolean moreFragments, int identification) {
    }

    /**
     * Walks {@code packet}'s extension headers.
     *
     * @throws MalformedPacketException when a header is truncated or runs past the payload, the
     *     hop-by-hop header is not first, the chain is longer than {@link #MAX_EXTENSION_HEADERS},
     *     or the packet fails {@link Ipv6Packet#check}
     */
    public static Ipv6ExtensionWalk walk(Ipv6Packet packet) {
        MemorySegment seg = packet.segment();
        Malformed problem = Ipv6Packet.check(seg);
        if (problem != null) {
            throw new MalformedPacketException(problem);
        }
        int end = Ipv6Packet.HEADER_LENGTH + packet.payloadLength();
        int next = packet.nextHeader();
        int offset = Ipv6Packet.HEADER_LENGTH;
        int count = 0;
        FragmentHeader fragment = null;
        while (isWalked(next) && (fragment == null || fragment.fragmentOffset() == 0)) {
            int length = headerLength(seg, next, offset, end, count);
            if (next == Ipv6Packet.NEXT_FRAGMENT) {
                fragment = fragmentHeader(seg, offset);
            }
            next = u8(seg, offset);
            offset += length;
            count++;
        }
        return new Ipv6ExtensionWalk(next, offset, count, Optional.ofNullable(fragment));
    }

    /** True when the upper-layer header is in this packet: not a later fragment, not ESP or none. */
    public boolean upperHeaderPresent() {
        boolean laterFragment = fragment.isPresent() && fragment.get().fragmentOffset() != 0;
        return !laterFragment && upperProtocol != Ipv6Packet.NEXT_NONE && upperProtocol != Ipv6Packet.NEXT_ESP;
    }

    private static boolean isWalked(int nextHeader) {
        return switch (nextHeader) {
            case Ipv6Packet.NEXT_HOP_BY_HOP, Ipv6Packet.NEXT_ROUTING, Ipv6Packet.NEXT_FRAGMENT,
                 Ipv6Packet.NEXT_AUTHENTICATION, Ipv6Packet.NEXT_DESTINATION_OPTIONS -> true;
            default -> false;
        };
    }

    private static int headerLength(MemorySegment seg, int kind, int offset, int end, int count) {
        if (kind == Ipv6Packet.NEXT_HOP_BY_HOP && count > 0) {
            throw new MalformedPacketException(Malformed.IPV6_HOP_BY_HOP_NOT_FIRST);
        } else if (count == MAX_EXTENSION_HEADERS) {
            throw new MalformedPacketException(Malformed.IPV6_TOO_MANY_EXT_HEADERS);
        } else if (end - offset < MIN_EXTENSION_LENGTH) {
            throw new MalformedPacketException(Malformed.IPV6_EXT_HEADER_TRUNCATED);
        }
        int length = extensionLength(seg, kind, offset);
        if (offset + length > end) {
            throw new MalformedPacketException(Malformed.IPV6_EXT_HEADER_PAST_PAYLOAD);
        }
        return length;
    }

    /**
     * Length of the extension header of type {@code kind} at {@code offset}: 8 for a fragment
     * header (RFC 8200 §4.5), (len + 2) * 4 for AH (RFC 4302 §2.2), else (len + 1) * 8 (RFC 8200 §4.3).
     */
    static int extensionLength(MemorySegment seg, int kind, int offset) {
        return switch (kind) {
            case Ipv6Packet.NEXT_FRAGMENT -> FRAGMENT_HEADER_LENGTH;
            case Ipv6Packet.NEXT_AUTHENTICATION -> (u8(seg, offset + 1) + 2) * 4;
            default -> (u8(seg, offset + 1) + 1) * 8;
        };
    }

    private static FragmentHeader fragmentHeader(MemorySegment seg, int offset) {
        int offsetAndFlags = u16(seg, offset + 2);
        return new FragmentHeader(offset, offsetAndFlags & 0xFFF8, (offsetAndFlags & 1) != 0, i32(seg, offset + 4));
    }
}
