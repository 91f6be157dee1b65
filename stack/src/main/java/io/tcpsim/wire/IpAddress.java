package io.tcpsim.wire;

import java.lang.foreign.MemorySegment;

/**
 * An IP address of either family, as 128 bits: an IPv4 address is held IPv4-mapped
 * ({@code ::ffff:a.b.c.d}, RFC 4291 §2.5.5.2), as Linux keeps the addresses of dual-stack
 * sockets, so that one type serves TCP's 4-tuples, listeners and socket names in both families.
 * An IPv6 socket that really talks to an IPv4-mapped peer talks IPv4 on the wire: the family of
 * a connection is the family of its addresses.
 *
 * @param high the first 64 bits in network order
 * @param low  the last 64 bits
 */
public record IpAddress(long high, long low) {
    /** The IPv4 wildcard 0.0.0.0, mapped. */
    public static final IpAddress ANY_IPV4 = ofIpv4(0);
    /** The IPv6 unspecified address {@code ::} (RFC 4291 §2.5.2): the wildcard of an AF_INET6 bind. */
    public static final IpAddress ANY_IPV6 = new IpAddress(0, 0);

    private static final long MAPPED_PREFIX = 0x0000_FFFFL << 32;
    private static final long LOW_HALF = 0xFFFF_FFFFL;
    private static final long MULTICAST_BYTE = 0xFFL << 56;

    /** An IPv4 address (the int of {@link Ipv4Address}), held IPv4-mapped. */
    public static IpAddress ofIpv4(int addr) {
        return new IpAddress(0, MAPPED_PREFIX | addr & LOW_HALF);
    }

    /** The 16 bytes of an IPv6 address (an IPv4-mapped one is the IPv4 address). */
    public static IpAddress ofIpv6(byte[] addr) {
        return ofIpv6(MemorySegment.ofArray(addr));
    }

    /** The 16 bytes at the start of {@code addr}. */
    public static IpAddress ofIpv6(MemorySegment addr) {
        return new IpAddress(addr.get(NetworkOrder.U64, 0), addr.get(NetworkOrder.U64, 8));
    }

    /** Dotted-quad IPv4 or RFC 4291 IPv6 text (a colon says which). */
    public static IpAddress parse(String text) {
        return text.indexOf(':') >= 0 ? ofIpv6(Ipv6Address.parse(text)) : ofIpv4(Ipv4Address.parse(text));
    }

    /** True for an IPv4 address (held as IPv4-mapped). */
    public boolean isIpv4() {
        return high == 0 && (low & ~LOW_HALF) == MAPPED_PREFIX;
    }

    /** The IPv4 address as an int; only for {@link #isIpv4()}. */
    public int ipv4() {
        if (!isIpv4()) {
            throw new IllegalStateException(this + " is not an IPv4 address");
        }
        return (int) low;
    }

    /** The wildcard of its family: 0.0.0.0 or ::. */
    public boolean isUnspecified() {
        return this.equals(ANY_IPV6) || this.equals(ANY_IPV4);
    }

    /** ff00::/8 (RFC 4291 §2.7) or an IPv4 multicast address. */
    public boolean isMulticast() {
        return isIpv4() ? Ipv4Address.isMulticast(ipv4()) : (high & MULTICAST_BYTE) == MULTICAST_BYTE;
    }

    /** The 16 bytes in network order (IPv4-mapped for IPv4). */
    public byte[] bytes() {
        byte[] out = new byte[Ipv6Packet.ADDRESS_LENGTH];
        MemorySegment seg = MemorySegment.ofArray(out);
        seg.set(NetworkOrder.U64, 0, high);
        seg.set(NetworkOrder.U64, 8, low);
        return out;
    }

    /** {@link #bytes()} as a heap segment, for the IPv6 checksum and header writers. */
    public MemorySegment segment() {
        return MemorySegment.ofArray(bytes());
    }

    /** Dotted quad for IPv4, RFC 5952 text for IPv6. */
    @Override
    public String toString() {
        return isIpv4() ? Ipv4Address.format(ipv4()) : Ipv6Address.format(bytes());
    }
}
