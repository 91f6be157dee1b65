package io.tcpsim.wire;

/**
 * TCP sequence number arithmetic modulo 2^32 (RFC 9293 §3.4); sequence numbers stay raw
 * {@code int}s. Comparisons follow RFC 1982 serial-number arithmetic: {@code a < b} when the
 * signed 32-bit difference {@code a - b} is negative, which is meaningful while the two numbers
 * are less than 2^31 apart.
 */
public final class Seq {
    private Seq() {
    }

    /** {@code a < b} modulo 2^32. */
    public static boolean lt(int a, int b) {
        return a - b < 0;
    }

    /** {@code a <= b} modulo 2^32. */
    public static boolean le(int a, int b) {
        return a - b <= 0;
    }

    /** {@code a > b} modulo 2^32. */
    public static boolean gt(int a, int b) {
        return a - b > 0;
    }

    /** {@code a >= b} modulo 2^32. */
    public static boolean ge(int a, int b) {
        return a - b >= 0;
    }

    /** {@code seq + n} modulo 2^32. */
    public static int add(int seq, int n) {
        return seq + n;
    }

    /** {@code seq - n} modulo 2^32: the inverse of {@link #add(int, int)}. */
    public static int sub(int seq, int n) {
        return seq - n;
    }

    /** The signed distance {@code a - b} from {@code b} to {@code a}. */
    public static int diff(int a, int b) {
        return a - b;
    }

    /**
     * {@code start <= seq < start + len} modulo 2^32, with {@code len} unsigned (RFC 9293 §3.4
     * acceptability tests: {@code RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND}); false when len is 0.
     */
    public static boolean inWindow(int seq, int start, int len) {
        return Integer.compareUnsigned(seq - start, len) < 0;
    }
}
