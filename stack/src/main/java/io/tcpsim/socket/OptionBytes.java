package io.tcpsim.socket;

import static io.tcpsim.socket.SocketConstants.AF_INET6;
import static io.tcpsim.socket.SocketConstants.IPPROTO_IPV6;
import static io.tcpsim.socket.SocketConstants.IPPROTO_TCP;
import static io.tcpsim.socket.SocketConstants.SOL_SOCKET;
import static io.tcpsim.socket.SocketConstants.SO_LINGER;
import static io.tcpsim.socket.SocketConstants.SO_RCVTIMEO;
import static io.tcpsim.socket.SocketConstants.SO_SNDTIMEO;
import static io.tcpsim.socket.SocketConstants.TCP_CONGESTION;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * setsockopt(2) and getsockopt(2) in their C form, an option value of {@code optlen} bytes in
 * the machine's order (little-endian on x86-64 and aarch64): a string for TCP_CONGESTION,
 * {@code struct linger} (8 bytes), {@code struct timeval} (16 bytes), an int for the rest. As
 * Linux: setting takes at least the value's size (EINVAL for less, more is ignored); getting
 * copies at most {@code optlen} bytes and says in optlen how many. On the stack thread;
 * results 0 or -errno.
 */
final class OptionBytes {
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final int LINGER_SIZE = 8;
    private static final int TIMEVAL_SIZE = 16;

    private OptionBytes() {
    }

    static int set(TcpSocket s, int level, int name, byte[] optval, int optlen, SocketLimits limits, long now) {
        if (optlen < 0) {
            return -Errno.EINVAL;
        } else if (optlen > optval.length) {
            return -Errno.EFAULT;
        }
        ByteBuffer v = ByteBuffer.wrap(optval, 0, optlen).order(ORDER);
        if (level == IPPROTO_TCP && name == TCP_CONGESTION) {
            // Linux do_tcp_setsockopt(): up to TCP_CA_NAME_MAX - 1 bytes, ending at a NUL.
            if (optlen < 1) {
                return -Errno.EINVAL;
            }
            return SocketOptionCalls.setCongestion(s, cString(optval, Math.min(optlen, SocketConstants.TCP_CA_NAME_MAX - 1)));
        } else if (level == SOL_SOCKET && name == SO_LINGER) {
            return optlen < LINGER_SIZE ? -Errno.EINVAL : SocketOptionCalls.setLinger(s, new Linger(v.getInt(0), v.getInt(4)));
        } else if (level == SOL_SOCKET && (name == SO_RCVTIMEO || name == SO_SNDTIMEO)) {
            // Linux sock_copy_user_timeval(): shorter than a struct timeval is EINVAL.
            return optlen < TIMEVAL_SIZE ? -Errno.EINVAL
                    : SocketOptionCalls.setTimeout(s, level, name, new Timeval(v.getLong(0), v.getLong(8)));
        } else if (optlen < Integer.BYTES && intLevel(s, level)) {
            return -Errno.EINVAL; // Linux: an int option needs sizeof(int) bytes
        }
        int value = optlen < Integer.BYTES ? 0 : v.getInt(0);
        return SocketOptionCalls.set(s, level, name, value, limits, now);
    }

    /** The levels whose int options Linux reads only after checking optlen >= sizeof(int). */
    private static boolean intLevel(TcpSocket s, int level) {
        return level == SOL_SOCKET || level == IPPROTO_TCP || (level == IPPROTO_IPV6 && s.family == AF_INET6);
    }

    static int get(TcpSocket s, int level, int name, byte[] optval, int[] optlen, String defaultCongestion) {
        int len = optlen[0];
        if (len < 0) {
            return -Errno.EINVAL;
        } else if (len > optval.length) {
            return -Errno.EFAULT;
        }
        byte[] value;
        if (level == IPPROTO_TCP && name == TCP_CONGESTION) {
            value = new byte[SocketConstants.TCP_CA_NAME_MAX];
            byte[] text = SocketOptionCalls.congestion(s, defaultCongestion).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(text, 0, value, 0, text.length);
        } else if (level == SOL_SOCKET && name == SO_LINGER) {
            Linger l = SocketOptionCalls.linger(s);
            value = ByteBuffer.allocate(LINGER_SIZE).order(ORDER).putInt(l.onoff()).putInt(l.linger()).array();
        } else if (level == SOL_SOCKET && (name == SO_RCVTIMEO || name == SO_SNDTIMEO)) {
            Timeval tv = SocketOptionCalls.getTimeout(s, level, name);
            value = ByteBuffer.allocate(TIMEVAL_SIZE).order(ORDER).putLong(tv.sec()).putLong(tv.usec()).array();
        } else {
            long v = SocketOptionCalls.get(s, level, name);
            if (v < 0) {
                return (int) v;
            }
            value = ByteBuffer.allocate(Integer.BYTES).order(ORDER).putInt((int) v).array();
        }
        int n = Math.min(len, value.length);
        System.arraycopy(value, 0, optval, 0, n);
        optlen[0] = n;
        return 0;
    }

    /** An int from the first bytes of a C value (missing bytes read as 0). */
    static int toInt(byte[] bytes, int len) {
        byte[] four = new byte[Integer.BYTES];
        System.arraycopy(bytes, 0, four, 0, Math.min(len, Integer.BYTES));
        return ByteBuffer.wrap(four).order(ORDER).getInt();
    }

    static byte[] fromInt(int value) {
        return ByteBuffer.allocate(Integer.BYTES).order(ORDER).putInt(value).array();
    }

    private static String cString(byte[] bytes, int max) {
        int n = 0;
        while (n < max && bytes[n] != 0) {
            n++;
        }
        return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
    }
}
