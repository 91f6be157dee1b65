package io.tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** RFC 6528 ISNs: keyed SipHash-2-4 of the 4-tuple plus a 4-microsecond clock. */
class IsnGeneratorTest {
    private static final FourTuple T = new FourTuple(0x0A000001, 8080, 0x0A000002, 45000);
    private final IsnGenerator isn = new IsnGenerator(TcbHarness.KEY);

    @Test
    void sipHashMatchesTheReferenceVectors() {
        byte[] key = new byte[16];
        for (int i = 0; i < 16; i++) {
            key[i] = (byte) i;
        }
        long k0 = SipHash.littleEndian(key, 0, 8);
        long k1 = SipHash.littleEndian(key, 8, 8);
        assertEquals(0x726fdb47dd0e0e31L, SipHash.hash(k0, k1, new byte[0]));
        byte[] fifteen = new byte[15];
        for (int i = 0; i < 15; i++) {
            fifteen[i] = (byte) i;
        }
        assertEquals(0xa129ca6149be45e5L, SipHash.hash(k0, k1, fifteen));
    }

    @Test
    void isnIsTheSameForTheSameKeyTupleAndTime() {
        assertEquals(isn.isn(T, 123_456_789), new IsnGenerator(TcbHarness.KEY).isn(T, 123_456_789));
    }

    @Test
    void isnChangesWithEveryElementOfTheTuple() {
        int base = isn.isn(T, 0);
        assertNotEquals(base, isn.isn(new FourTuple(0x0A000003, 8080, 0x0A000002, 45000), 0));
        assertNotEquals(base, isn.isn(new FourTuple(0x0A000001, 8081, 0x0A000002, 45000), 0));
        assertNotEquals(base, isn.isn(new FourTuple(0x0A000001, 8080, 0x0A000004, 45000), 0));
        assertNotEquals(base, isn.isn(new FourTuple(0x0A000001, 8080, 0x0A000002, 45001), 0));
    }

    @Test
    void isnAdvancesByOneEvery4Microseconds() {
        int base = isn.isn(T, 0);
        assertEquals(base, isn.isn(T, 3_999));
        assertEquals(base + 1, isn.isn(T, 4_000));
        assertEquals(base + 250_000, isn.isn(T, 1_000_000_000));
    }

    @Test
    void isnDependsOnTheKey() {
        IsnGenerator other = new IsnGenerator("another-16-bytes".getBytes(StandardCharsets.US_ASCII));
        assertNotEquals(isn.isn(T, 0), other.isn(T, 0));
    }

    @Test
    void randomGeneratorsHaveDifferentKeys() {
        assertNotEquals(IsnGenerator.random().isn(T, 0), IsnGenerator.random().isn(T, 0));
    }

    @Test
    void keyMustBe16Bytes() {
        assertThrows(IllegalArgumentException.class, () -> new IsnGenerator(new byte[15]));
    }

    @Test
    void connectUsesTheGeneratorsIsnAtTheTimeOfConnect() {
        TcbHarness h = new TcbHarness();
        TcpConnection c = h.layer.connect(new FourTuple(0x0A000001, 50000, 0x0A000002, 80), 40_000);
        assertEquals(isn.isn(c.tuple(), 40_000), c.iss());
    }
}
