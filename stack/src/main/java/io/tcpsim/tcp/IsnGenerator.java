package io.tcpsim.tcp;

import io.tcpsim.wire.IpAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Initial sequence numbers per RFC 6528 §3: ISN = M + F(localip, localport, remoteip, remoteport,
 * secretkey), with M a timer ticking every 4 microseconds and F SipHash-2-4 under a 128-bit secret
 * (Linux secure_tcp_seq() uses SipHash too, with a 64 ns clock). Key and time are injected, so a
 * fixed key gives reproducible ISNs in tests.
 */
public final class IsnGenerator {
    /** RFC 6528 §3 (after RFC 793): M advances once every 4 microseconds. */
    static final long TICK_NANOS = 4_000;
    private static final int KEY_BYTES = 16;
    private static final byte ISN_DOMAIN = 1;
    private static final byte PORT_DOMAIN = 2;
    private static final byte TS_DOMAIN = 3;
    private static final byte COOKIE_DOMAIN = 4;
    private static final byte BUDGET_DOMAIN = 6;

    private final long k0;
    private final long k1;

    /** A generator with this 16-byte secret. */
    public IsnGenerator(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("the key is " + key.length + " bytes, not " + KEY_BYTES);
        }
        k0 = SipHash.littleEndian(key, 0, 8);
        k1 = SipHash.littleEndian(key, 8, 8);
    }

    /** A generator with a fresh random secret (RFC 6528 §3: "a cryptographically secure" key). */
    public static IsnGenerator random() {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return new IsnGenerator(key);
    }

    /** The ISN for a connection on {@code t} starting at {@code nowNanos}. */
    public int isn(FourTuple t, long nowNanos) {
        byte[] message = message(ISN_DOMAIN, t.localAddr(), t.remoteAddr(), t.localPort(), t.remotePort());
        long f = SipHash.hash(k0, k1, message);
        long m = nowNanos / TICK_NANOS;
        return (int) (f + m);
    }

    /**
     * Where the ephemeral-port search starts for a destination (RFC 6056 §3.3.3 "double-hash"
     * offset; Linux secure_ipv4_port_ephemeral() keys it the same way).
     */
    int portOffset(IpAddress localAddr, IpAddress remoteAddr, int remotePort) {
        long h = SipHash.hash(k0, k1, message(PORT_DOMAIN, localAddr, remoteAddr, 0, remotePort));
        return (int) (h & 0x7FFF_FFFF);
    }

    /**
     * The offset added to the timestamp clock of a connection between two addresses (RFC 7323
     * §7.1: a random offset per connection; Linux secure_tcp_ts_off() keys it on the addresses).
     */
    int tsOffset(IpAddress localAddr, IpAddress remoteAddr) {
        return (int) SipHash.hash(k0, k1, message(TS_DOMAIN, localAddr, remoteAddr, 0, 0));
    }

    /**
     * The keyed hash of a SYN cookie (Linux cookie_hash(): SipHash over the addresses, ports and
     * the minute counter, with one of two secrets, {@code which} 0 or 1).
     */
    int cookieHash(FourTuple t, int count, int which) {
        byte[] tuple = message((byte) (COOKIE_DOMAIN + which), t.localAddr(), t.remoteAddr(), t.localPort(),
                t.remotePort());
        byte[] m = Arrays.copyOf(tuple, tuple.length + 4);
        for (int i = 0; i < 4; i++) {
            m[tuple.length + i] = (byte) (count >>> (24 - 8 * i));
        }
        return (int) SipHash.hash(k0, k1, m);
    }

    /** A keyed draw for {@code second} (the random part of the global challenge-ACK budget). */
    int budgetDraw(long second) {
        return (int) SipHash.hash(k0, k1, message(BUDGET_DOMAIN, (int) (second >>> 32), (int) second, 0, 0));
    }

    /** IPv4 addresses as 4 bytes each (Linux secure_tcp_seq()), IPv6 ones as 16 (secure_tcpv6_seq()). */
    private static byte[] message(byte domain, IpAddress localAddr, IpAddress remoteAddr, int localPort,
                                  int remotePort) {
        if (localAddr.isIpv4() && remoteAddr.isIpv4()) {
            return message(domain, localAddr.ipv4(), remoteAddr.ipv4(), localPort, remotePort);
        }
        ByteBuffer out = ByteBuffer.allocate(1 + 2 * Long.BYTES * 2 + 2 * Short.BYTES);
        out.put(domain).putLong(localAddr.high()).putLong(localAddr.low()).putLong(remoteAddr.high())
                .putLong(remoteAddr.low()).putShort((short) localPort).putShort((short) remotePort);
        return out.array();
    }

    private static byte[] message(byte domain, int localAddr, int remoteAddr, int localPort, int remotePort) {
        return new byte[] {domain,
            (byte) (localAddr >>> 24), (byte) (localAddr >>> 16), (byte) (localAddr >>> 8), (byte) localAddr,
            (byte) (remoteAddr >>> 24), (byte) (remoteAddr >>> 16), (byte) (remoteAddr >>> 8), (byte) remoteAddr,
            (byte) (localPort >>> 8), (byte) localPort, (byte) (remotePort >>> 8), (byte) remotePort};
    }
}
