package io.tcpsim.socket;

import java.util.Arrays;
import java.util.Objects;

/**
 * {@code struct sockaddr_in6} (ipv6(7)): family, port, flow information, the 16-byte address in
 * network order, scope id. Mutable like the C struct, so that accept, getsockname and
 * getpeername fill it in. An IPv4 peer of an AF_INET6 socket appears as the IPv4-mapped address
 * {@code ::ffff:a.b.c.d} ({@link #mapped}). Filled with an AF_INET name (shorter, as in C), it gets
 * the family and the port, the IPv4 address lands in {@link #flowInfo()} and the address is zero.
 */
public final class SockAddrIn6 implements SockAddr {
    /** in6addr_any, {@code ::}. */
    public static final byte[] ANY = new byte[16];

    private int family;
    private int port;
    private int flowInfo;
    private final byte[] address = new byte[16];
    private int scopeId;

    public SockAddrIn6() {
    }

    public SockAddrIn6(int family, byte[] address, int port, int flowInfo, int scopeId) {
        if (address.length != 16) {
            throw new IllegalArgumentException("an IPv6 address has 16 bytes, not " + address.length);
        }
        this.family = family;
        this.port = port;
        this.flowInfo = flowInfo;
        this.scopeId = scopeId;
        System.arraycopy(address, 0, this.address, 0, 16);
    }

    /** An AF_INET6 address, flow information and scope id 0. */
    public static SockAddrIn6 of(byte[] address, int port) {
        return new SockAddrIn6(SocketConstants.AF_INET6, address, port, 0, 0);
    }

    /** The IPv4-mapped AF_INET6 address {@code ::ffff:a.b.c.d} of an IPv4 address (an int). */
    public static SockAddrIn6 mapped(int ipv4, int port) {
        return of(mappedAddress(ipv4), port);
    }

    /** {@code ::ffff:a.b.c.d}: ten zero bytes, two 0xff, the IPv4 address (RFC 4291 §2.5.5.2). */
    public static byte[] mappedAddress(int ipv4) {
        byte[] a = new byte[16];
        a[10] = (byte) 0xff;
        a[11] = (byte) 0xff;
        a[12] = (byte) (ipv4 >>> 24);
        a[13] = (byte) (ipv4 >>> 16);
        a[14] = (byte) (ipv4 >>> 8);
        a[15] = (byte) ipv4;
        return a;
    }

    void set(int family, byte[] address, int port, int flowInfo) {
        this.family = family;
        this.port = port;
        this.flowInfo = flowInfo;
        this.scopeId = 0;
        System.arraycopy(address, 0, this.address, 0, 16);
    }

    @Override
    public int family() {
        return family;
    }

    @Override
    public int port() {
        return port;
    }

    public int flowInfo() {
        return flowInfo;
    }

    public int scopeId() {
        return scopeId;
    }

    /** A copy of the 16 address bytes. */
    public byte[] address() {
        return address.clone();
    }

    public boolean isAny() {
        return Arrays.equals(address, ANY);
    }

    /** {@code ::ffff:a.b.c.d}. */
    public boolean isV4Mapped() {
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return (address[10] & address[11] & 0xff) == 0xff;
    }

    /** The IPv4 address inside a mapped address. */
    public int ipv4() {
        return (address[12] & 0xff) << 24 | (address[13] & 0xff) << 16 | (address[14] & 0xff) << 8 | address[15] & 0xff;
    }

    /** ff00::/8 (RFC 4291 §2.7). */
    public boolean isMulticast() {
        return (address[0] & 0xff) == 0xff;
    }

    /** fe80::/10 (RFC 4291 §2.5.6). */
    public boolean isLinkLocal() {
        return (address[0] & 0xff) == 0xfe && (address[1] & 0xc0) == 0x80;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SockAddrIn6 a && a.family == family && a.port == port && a.flowInfo == flowInfo
                && a.scopeId == scopeId && Arrays.equals(a.address, address);
    }

    @Override
    public int hashCode() {
        return Objects.hash(family, port, flowInfo, scopeId, Arrays.hashCode(address));
    }

    /** {@code [address]:port} in RFC 5952 text, a mapped address as {@code ::ffff:a.b.c.d}. */
    @Override
    public String toString() {
        return "[" + text() + "]:" + port;
    }

    private String text() {
        if (isV4Mapped()) {
            int v4 = ipv4();
            return "::ffff:" + (v4 >>> 24) + "." + (v4 >>> 16 & 0xff) + "." + (v4 >>> 8 & 0xff) + "." + (v4 & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (address[2 * i] & 0xff) << 8 | address[2 * i + 1] & 0xff;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                b.append(i == 0 ? "::" : ":");
                i += bestLength - 1;
                continue;
            }
            b.append(Integer.toHexString(groups[i]));
            if (i < 7) {
                b.append(':');
            }
        }
        return b.toString();
    }
}
