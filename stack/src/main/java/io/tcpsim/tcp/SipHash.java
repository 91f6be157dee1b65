package io.tcpsim.tcp;

/**
 * SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input PRF", 2012): the keyed hash
 * Linux uses for ISNs and ephemeral port offsets. Little-endian, as the reference implementation.
 */
final class SipHash {
    private long v0;
    private long v1;
    private long v2;
    private long v3;

    private SipHash(long k0, long k1) {
        v0 = k0 ^ 0x736f6d6570736575L;
        v1 = k1 ^ 0x646f72616e646f6dL;
        v2 = k0 ^ 0x6c7967656e657261L;
        v3 = k1 ^ 0x7465646279746573L;
    }

    /** The 64-bit SipHash-2-4 of {@code message} under the 128-bit key (k0, k1). */
    static long hash(long k0, long k1, byte[] message) {
        SipHash s = new SipHash(k0, k1);
        int blocks = message.length / 8;
        for (int i = 0; i < blocks; i++) {
            s.compress(littleEndian(message, i * 8, 8));
        }
        long last = ((long) message.length & 0xFF) << 56;
        last |= littleEndian(message, blocks * 8, message.length - blocks * 8);
        s.compress(last);
        s.v2 ^= 0xFF;
        for (int i = 0; i < 4; i++) {
            s.round();
        }
        return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
    }

    /** Reads {@code n} (0..8) bytes at {@code offset} as a little-endian number. */
    static long littleEndian(byte[] bytes, int offset, int n) {
        long value = 0;
        for (int i = n - 1; i >= 0; i--) {
            value = (value << 8) | (bytes[offset + i] & 0xFF);
        }
        return value;
    }

    private void compress(long m) {
        v3 ^= m;
        round();
        round();
        v0 ^= m;
    }

    private void round() {
        v0 += v1;
        v1 = Long.rotateLeft(v1, 13);
        v1 ^= v0;
        v0 = Long.rotateLeft(v0, 32);
        v2 += v3;
        v3 = Long.rotateLeft(v3, 16);
        v3 ^= v2;
        v0 += v3;
        v3 = Long.rotateLeft(v3, 21);
        v3 ^= v0;
        v2 += v1;
        v1 = Long.rotateLeft(v1, 17);
        v1 ^= v2;
        v2 = Long.rotateLeft(v2, 32);
    }
}
