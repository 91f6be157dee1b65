package io.tcpsim.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AddressTest {
    @Test
    void ipv4FormatsAndParsesDottedQuad() {
        assertEquals("10.0.2.15", Ipv4Address.format(0x0a00020f));
        assertEquals("255.255.255.255", Ipv4Address.format(-1));
        assertEquals(0xc0002f3b, Ipv4Address.parse("192.0.47.59"));
        assertEquals(0, Ipv4Address.parse("0.0.0.0"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.-4", "a.b.c.d", "1..2.3", " 1.2.3.4"})
    void ipv4BadTextIsRefusedWithItsReason(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ipv4Address.parse(text));
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    @Test
    void ipv4ClassesFollowTheirRfcs() {
        assertTrue(Ipv4Address.isLoopback(Ipv4Address.parse("127.1.2.3")));
        assertTrue(Ipv4Address.isMulticast(Ipv4Address.parse("224.0.0.1")));
        assertFalse(Ipv4Address.isMulticast(Ipv4Address.parse("240.0.0.1")));
        assertTrue(Ipv4Address.isBroadcast(Ipv4Address.parse("255.255.255.255")));
        assertTrue(Ipv4Address.isUnspecified(0));
    }

    /** RFC 5952 §4 canonical forms, and tcpdump's dotted-quad endings. */
    @ParameterizedTest
    @CsvSource({
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:0db8:0:0:0:0:2:1, 2001:db8::2:1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "2001:db8::0:1, 2001:db8::1",
        "1:0:0:1:0:0:0:1, 1:0:0:1::1",
        "0:0:0:0:0:0:0:0, ::",
        "0:0:0:0:0:0:0:1, ::1",
        "1:0:0:0:0:0:0:0, 1::",
        "fe80:0:0:0:0:0:0:1, fe80::1",
        "::ffff:1.2.3.4, ::ffff:1.2.3.4",
        "::1.2.3.4, ::1.2.3.4",
        "0:0:0:0:0:1:0:0, ::1:0:0",
        "FD42:496A:D659:BB85:216:3EFF:FE6A:A257, fd42:496a:d659:bb85:216:3eff:fe6a:a257",
    })
    void ipv6FormatsCanonically(String text, String canonical) {
        assertEquals(canonical, Ipv6Address.format(Ipv6Address.parse(text)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"::1", "2001:db8::5", "1:2:3:4:5:6:7:8", "::ffff:10.0.0.1", "fe80::1:2"})
    void ipv6ParseAgreesWithInetAddress(String text) throws UnknownHostException {
        assertArrayEquals(InetAddress.getByName(text).getAddress().length == 16
                ? InetAddress.getByName(text).getAddress() : mapped(InetAddress.getByName(text).getAddress()),
                Ipv6Address.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":", "1:2:3:4:5:6:7", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "g::1", "1.2.3.4::"})
    void ipv6BadTextIsRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> Ipv6Address.parse(text));
    }

    /** InetAddress turns ::ffff:a.b.c.d into an Inet4Address. */
    private static byte[] mapped(byte[] v4) {
        byte[] out = new byte[16];
        out[10] = (byte) 0xff;
        out[11] = (byte) 0xff;
        System.arraycopy(v4, 0, out, 12, 4);
        return out;
    }
}
