package io.tcpsim.tcp;

/**
 * How a stack sizes and reports its socket buffers and rounds the window it offers: the part of
 * the buffer arithmetic where Linux and the BSDs differ.
 *
 * @param reportFactor  SO_RCVBUF / SO_SNDBUF as getsockopt(2) reports them, per byte of data the
 *                      buffer holds: Linux 2 (it counts buffer memory and starts assuming half of
 *                      it is data, socket(7)), FreeBSD 1 (sb_hiwat counts data bytes)
 * @param roundToMss    once the MSS is known, both buffers grow to a whole number of segments of
 *                      the negotiated MSS, as FreeBSD's tcp_mss() does (65536 becomes 65700 with
 *                      MSS 1460); Linux keeps them
 * @param windowToMss   the first window offered is rounded down to a whole number of segments, as
 *                      Linux's tcp_select_initial_window() and tcp_openreq_init_rwin() do; FreeBSD
 *                      offers the buffer space as it is (tcp_output(): 65535 for 65536 bytes
 *                      unscaled)
 */
public record BufferRules(int reportFactor, boolean roundToMss, boolean windowToMss) {
    /** Linux's rules. */
    public static final BufferRules LINUX = new BufferRules(2, false, true);
    /** FreeBSD's rules (sys/netinet/tcp_input.c tcp_mss(), tcp_output.c). */
    public static final BufferRules FREEBSD = new BufferRules(1, true, false);

    public BufferRules {
        if (reportFactor < 1 || reportFactor > 2) {
            throw new IllegalArgumentException("reportFactor " + reportFactor + " is not 1 or 2");
        }
    }

    /** The bytes of data a buffer of this SO_RCVBUF / SO_SNDBUF (as getsockopt(2) reports it) holds. */
    public int dataBytes(int socketBuffer) {
        return Math.max(1, socketBuffer / reportFactor);
    }

    /** SO_RCVBUF / SO_SNDBUF as getsockopt(2) reports a buffer holding {@code dataBytes}. */
    public int reported(int dataBytes) {
        return dataBytes * reportFactor;
    }

    /** The first window for a buffer of {@code space} bytes and this MSS. */
    public int initialWindow(int space, int mss) {
        return windowToMss && space > mss ? space - space % mss : space;
    }

    /** A buffer of {@code bytes} once the MSS is known (FreeBSD tcp_mss(): roundup(sb_hiwat, mss) when above it). */
    public int onMss(int bytes, int mss) {
        return roundToMss && bytes > mss && bytes % mss != 0 ? bytes + mss - bytes % mss : bytes;
    }
}
