package io.tcpsim.socket;

/**
 * TCP_NOTSENT_LOWAT (tcp(7)): a socket is writable only while the bytes written and not yet sent
 * (Linux write_seq - snd_nxt) stay below the mark, as Linux tcp_stream_memory_free() checks it.
 * The mark is unsigned; 0 (not set) means net.ipv4.tcp_notsent_lowat, whose default is UINT_MAX:
 * no limit.
 */
final class NotSentLowat {
    /** Linux GSO_LEGACY_MAX_SIZE: the size goal of a GSO skb. */
    private static final long GSO_MAX_SIZE = 65_536;
    /** Linux TCP_MSS_DEFAULT. */
    private static final int TCP_MSS_DEFAULT = 536;
    /** Linux's default net.ipv4.tcp_notsent_lowat (UINT_MAX). */
    static final long SYSCTL_DEFAULT = 0xFFFF_FFFFL;

    private NotSentLowat() {
    }

    /** The mark in force (Linux tcp_notsent_lowat()). */
    static long mark(SocketSettings o) {
        return o.notSentLowat == 0 ? SYSCTL_DEFAULT : Integer.toUnsignedLong(o.notSentLowat);
    }

    /**
     * Linux tcp_stream_memory_free(sk, wake): {@code (notsent << wake) < mark}; poll and the
     * write-space wake-up ask with wake 1 (half the mark), sendmsg with wake 0.
     */
    static boolean memoryFree(TcpSocket s, int wake) {
        if (s.connection == null) {
            return true;
        }
        return ((long) s.connection.notSent() << wake) < mark(s.settings);
    }

    /**
     * Bytes a write may queue now, as Linux tcp_sendmsg_locked() takes them: first into the unsent
     * tail skb while it has room, unchecked; then each new skb of up to the size goal only while
     * sk_stream_memory_free() holds. tcpsim keeps no skbs, so the unsent bytes are taken as whole
     * skbs of the size goal with the tail holding the rest ({@code notsent} modulo the goal).
     */
    static int room(TcpSocket s, int len) {
        if (s.connection == null) {
            return len;
        }
        long notSent = s.connection.notSent();
        long mark = mark(s.settings);
        if (notSent + len <= mark) {
            return len; // every check before a new skb passes
        }
        long goal = sizeGoal(s.connection.sndMss(), s.connection.maxSendWindow());
        long tail = notSent % goal;
        long taken = tail > 0 ? Math.min(len, goal - tail) : 0;
        while (taken < len && notSent + taken < mark) {
            taken = Math.min(len, taken + goal);
        }
        return (int) taken;
    }

    /**
     * Linux tcp_xmit_size_goal() with GSO: 64 KB (GSO_LEGACY_MAX_SIZE), at most half the peer's
     * largest window when that is above TCP_MSS_DEFAULT (tcp_bound_to_half_wnd()), in whole
     * segments, at least one.
     */
    static long sizeGoal(int mss, int maxWindow) {
        long goal = GSO_MAX_SIZE;
        if (maxWindow > TCP_MSS_DEFAULT && goal > maxWindow >> 1) {
            goal = maxWindow >> 1;
        } else if (maxWindow > 0 && maxWindow <= TCP_MSS_DEFAULT && goal > maxWindow) {
            goal = maxWindow;
        }
        int segment = Math.max(1, mss);
        return Math.max(segment, goal / segment * segment);
    }
}
