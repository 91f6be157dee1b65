package io.tcpsim.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** sockaddr_in6: IPv4-mapped addresses (RFC 4291 §2.5.5.2), the kinds of address, RFC 5952 text. */
class SockAddrIn6Test {
    private static SockAddrIn6 of(String hex, int port) {
        return SockAddrIn6.of(HexFormat.of().parseHex(hex), port);
    }

    @Test
    void mappedAddressCarriesTheIpv4AddressAfterFfff() {
        SockAddrIn6 a = SockAddrIn6.mapped(0x0A000002, 80);
        assertEquals("00000000000000000000ffff0a000002", HexFormat.of().formatHex(a.address()));
        assertTrue(a.isV4Mapped());
        assertEquals(0x0A000002, a.ipv4());
        assertEquals(SocketConstants.AF_INET6, a.family());
        assertEquals("[::ffff:10.0.0.2]:80", a.toString());
    }

    @Test
    void kindsOfAddress() {
        assertTrue(of("00000000000000000000000000000000", 0).isAny());
        assertFalse(of("00000000000000000000000000000001", 0).isV4Mapped());
        assertTrue(of("ff020000000000000000000000000001", 0).isMulticast());
        assertTrue(of("fe800000000000000000000000000001", 0).isLinkLocal());
        assertFalse(of("fec00000000000000000000000000001", 0).isLinkLocal());
    }

    @Test
    void textCompressesTheLongestRunOfZeroGroups() {
        assertEquals("[::]:0", of("00000000000000000000000000000000", 0).toString());
        assertEquals("[::1]:1", of("00000000000000000000000000000001", 1).toString());
        assertEquals("[2001:db8::1]:2", of("20010db8000000000000000000000001", 2).toString());
        assertEquals("[2001:db8:0:1::1]:3", of("20010db8000000010000000000000001", 3).toString());
        assertEquals("[fe80::]:4", of("fe800000000000000000000000000000", 4).toString());
    }

    @Test
    void addressIsCopiedInAndOut() {
        byte[] bytes = new byte[16];
        SockAddrIn6 a = SockAddrIn6.of(bytes, 1);
        bytes[0] = 1;
        a.address()[1] = 1;
        assertTrue(a.isAny());
    }
}
