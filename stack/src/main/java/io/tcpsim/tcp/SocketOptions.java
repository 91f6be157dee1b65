package io.tcpsim.tcp;

/**
 * Per-socket settings given to listen() and connect().
 *
 * @param reuseAddress  SO_REUSEADDR: the local port may be bound while connections that also set it
 *                      (and TIME_WAIT ones) still use it, as in Linux inet_csk_bind_conflict()
 * @param maxSeg        TCP_MAXSEG: caps the MSS we advertise and send; 0 = not set
 * @param receiveBuffer SO_RCVBUF as getsockopt(2) reports it (Linux sk_rcvbuf, twice what was set);
 *                      0 = not set: the config's buffer and window scale
 * @param sendBuffer    SO_SNDBUF as getsockopt(2) reports it (Linux sk_sndbuf); 0 = not set
 * @param ipv6Only      IPV6_V6ONLY: a listener on the IPv6 wildcard :: takes no IPv4 segments
 * @param ipv6Socket    the socket is AF_INET6: its IPv4 names are IPv4-mapped IPv6 addresses, as
 *                      ss shows them ({@code [::ffff:a.b.c.d]}); accepted connections inherit it
 */
public record SocketOptions(boolean reuseAddress, int maxSeg, int receiveBuffer, int sendBuffer, boolean ipv6Only,
                            boolean ipv6Socket) {
    /** Linux TCP_MIN_MSS: the smallest TCP_MAXSEG setsockopt() accepts. */
    public static final int MIN_MAX_SEG = 88;
    public static final SocketOptions DEFAULT = new SocketOptions(false, 0);

    public SocketOptions {
        if (maxSeg != 0 && (maxSeg < MIN_MAX_SEG || maxSeg > 0xFFFF)) {
            throw new IllegalArgumentException("maxSeg " + maxSeg + " is not 0 or in " + MIN_MAX_SEG + "..65535");
        } else if (receiveBuffer < 0 || sendBuffer < 0) {
            throw new IllegalArgumentException("negative buffer size " + receiveBuffer + "/" + sendBuffer);
        }
    }

    /** Without buffer sizes: the config's. */
    public SocketOptions(boolean reuseAddress, int maxSeg) {
        this(reuseAddress, maxSeg, 0, 0, false, false);
    }

    /** Not IPv6-only: a wildcard IPv6 bind serves IPv4 too (Linux's bindv6only = 0). */
    public SocketOptions(boolean reuseAddress, int maxSeg, int receiveBuffer, int sendBuffer) {
        this(reuseAddress, maxSeg, receiveBuffer, sendBuffer, false, false);
    }

    public SocketOptions withReuseAddress(boolean reuse) {
        return new SocketOptions(reuse, maxSeg, receiveBuffer, sendBuffer, ipv6Only, ipv6Socket);
    }

    public SocketOptions withMaxSeg(int mss) {
        return new SocketOptions(reuseAddress, mss, receiveBuffer, sendBuffer, ipv6Only, ipv6Socket);
    }

    /** SO_RCVBUF and SO_SNDBUF as getsockopt(2) reports them (0: not set). */
    public SocketOptions withBuffers(int receive, int send) {
        return new SocketOptions(reuseAddress, maxSeg, receive, send, ipv6Only, ipv6Socket);
    }

    /** IPV6_V6ONLY (RFC 3493 §5.3): an IPv6 wildcard bind that does not serve IPv4. */
    public SocketOptions withIpv6Only(boolean only) {
        return new SocketOptions(reuseAddress, maxSeg, receiveBuffer, sendBuffer, only, ipv6Socket);
    }
}
