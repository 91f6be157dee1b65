package io.tcpsim.socket;

import static io.tcpsim.socket.SocketConstants.AF_INET6;
import static io.tcpsim.socket.SocketConstants.IPPROTO_IPV6;
import static io.tcpsim.socket.SocketConstants.IPPROTO_TCP;
import static io.tcpsim.socket.SocketConstants.IPPROTO_UDP;
import static io.tcpsim.socket.SocketConstants.SOL_SOCKET;
import static io.tcpsim.socket.SocketConstants.SO_LINGER;
import static io.tcpsim.socket.SocketConstants.SO_RCVTIMEO;
import static io.tcpsim.socket.SocketConstants.SO_SNDTIMEO;
import static io.tcpsim.socket.SocketConstants.TCP_CONGESTION;
import static io.tcpsim.socket.SocketConstants.TCP_INFO;

import io.tcpsim.tcp.TcpConfig;
import io.tcpsim.tcp.TcpInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * setsockopt(2) and getsockopt(2) in their C form, an option value of {@code optlen} bytes in
 * the machine's order (little-endian on x86-64 and aarch64): a string for TCP_CONGESTION,
 * {@code struct tcp_info} for TCP_INFO (read only), {@code struct linger} (8 bytes),
 * {@code struct timeval} (16 bytes), an int for the rest. As Linux: setting takes at least the
 * value's size (EINVAL for less, more is ignored); getting copies at most {@code optlen} bytes
 * and says in optlen how many; a negative optlen is EINVAL at every level (Linux 6.x); EFAULT
 * when optlen reaches past {@code optval} (C: a bad user pointer). The int options are
 * {@link SocketOptionCalls}' (TCP) and {@link DatagramOptionCalls}' (UDP). On the stack thread;
 * results 0 or -errno.
 */
final class OptionBytes {
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final int LINGER_SIZE = 8;
    private static final int TIMEVAL_SIZE = 16;

    private OptionBytes() {
    }

    static int set(TcpSocket s, int level, int name, byte[] optval, int optlen, SocketLimits limits, long now) {
        int checked = checkLength(optlen, optval);
        if (checked < 0) {
            return checked;
        }
        if (level == IPPROTO_TCP && name == TCP_CONGESTION) {
            // Linux do_tcp_setsockopt(): up to TCP_CA_NAME_MAX - 1 bytes, ending at a NUL.
            if (optlen < 1) {
                return -Errno.EINVAL;
            }
            return SocketOptionCalls.setCongestion(s, cString(optval, Math.min(optlen, SocketConstants.TCP_CA_NAME_MAX - 1)));
        } else if (isStruct(level, name)) {
            return setStruct(s.settings, level, name, optval, optlen);
        } else if (optlen < Integer.BYTES && intLevel(s, level)) {
            return -Errno.EINVAL; // Linux: an int option needs sizeof(int) bytes
        }
        return SocketOptionCalls.set(s, level, name, intValue(optval, optlen), limits, now);
    }

    static int set(UdpSocket u, int level, int name, byte[] optval, int optlen, SocketLimits limits) {
        int checked = checkLength(optlen, optval);
        if (checked < 0) {
            return checked;
        } else if (isStruct(level, name)) {
            return setStruct(u.settings, level, name, optval, optlen);
        } else if (optlen < Integer.BYTES && (level == SOL_SOCKET || level == IPPROTO_UDP
                || (level == IPPROTO_IPV6 && u.family == AF_INET6))) {
            return -Errno.EINVAL; // Linux sk_setsockopt(), udp_lib_setsockopt(), do_ipv6_setsockopt(): too short
        }
        return DatagramOptionCalls.set(u, level, name, intValue(optval, optlen), limits);
    }

    /** The options whose value is a struct, the same on every socket (socket(7)). */
    private static boolean isStruct(int level, int name) {
        return level == SOL_SOCKET && (name == SO_LINGER || name == SO_RCVTIMEO || name == SO_SNDTIMEO);
    }

    private static int setStruct(SocketSettings o, int level, int name, byte[] optval, int optlen) {
        ByteBuffer v = ByteBuffer.wrap(optval, 0, optlen).order(ORDER);
        if (name == SO_LINGER) {
            return optlen < LINGER_SIZE ? -Errno.EINVAL : SocketOptionCalls.setLinger(o, new Linger(v.getInt(0), v.getInt(4)));
        }
        // Linux sock_copy_user_timeval(): shorter than a struct timeval is EINVAL.
        return optlen < TIMEVAL_SIZE ? -Errno.EINVAL
                : SocketOptionCalls.setTimeout(o, level, name, new Timeval(v.getLong(0), v.getLong(8)));
    }

    /** The levels whose int options Linux reads only after checking optlen >= sizeof(int). */
    private static boolean intLevel(TcpSocket s, int level) {
        return level == SOL_SOCKET || level == IPPROTO_TCP || (level == IPPROTO_IPV6 && s.family == AF_INET6);
    }

    /**
     * getsockopt(2) on a TCP socket; {@code config} gives the stack's default congestion control,
     * the keepalive sysctls and TCP_INFO of a socket without a connection.
     */
    static int get(TcpSocket s, int level, int name, byte[] optval, int[] optlen, TcpConfig config, long now) {
        int checked = checkLength(optlen[0], optval);
        if (checked < 0) {
            return checked;
        }
        byte[] value;
        if (level == IPPROTO_TCP && name == TCP_INFO) {
            value = tcpInfo(s, config, now);
        } else if (level == IPPROTO_TCP && name == TCP_CONGESTION) {
            value = new byte[SocketConstants.TCP_CA_NAME_MAX];
            byte[] text = SocketOptionCalls.congestion(s, config.congestionControl()).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(text, 0, value, 0, text.length);
        } else if (isStruct(level, name)) {
            value = struct(s.settings, name);
        } else {
            long v = SocketOptionCalls.get(s, level, name, config);
            if (v < 0) {
                return (int) v;
            }
            value = fromInt((int) v);
        }
        return copyOut(value, optval, optlen);
    }

    /** getsockopt(2) on a UDP socket. */
    static int get(UdpSocket u, int level, int name, byte[] optval, int[] optlen) {
        int checked = checkLength(optlen[0], optval);
        if (checked < 0) {
            return checked;
        }
        byte[] value;
        if (isStruct(level, name)) {
            value = struct(u.settings, name);
        } else {
            long v = DatagramOptionCalls.get(u, level, name);
            if (v < 0) {
                return (int) v;
            }
            value = fromInt((int) v);
        }
        return copyOut(value, optval, optlen);
    }

    /** TCP_INFO of a socket (Linux struct tcp_info): listener, connection, or a fresh socket. */
    private static byte[] tcpInfo(TcpSocket s, TcpConfig config, long now) {
        if (s.listener != null) {
            return TcpInfo.of(s.listener).toBytes();
        } else if (s.connection != null) {
            return TcpInfo.of(s.connection, s.tcpState(), now).toBytes();
        }
        return TcpInfo.unconnected(config).toBytes();
    }

    private static byte[] struct(SocketSettings o, int name) {
        if (name == SO_LINGER) {
            Linger l = SocketOptionCalls.linger(o);
            return ByteBuffer.allocate(LINGER_SIZE).order(ORDER).putInt(l.onoff()).putInt(l.linger()).array();
        }
        Timeval tv = SocketOptionCalls.getTimeout(o, SOL_SOCKET, name);
        return ByteBuffer.allocate(TIMEVAL_SIZE).order(ORDER).putLong(tv.sec()).putLong(tv.usec()).array();
    }

    /** EINVAL for a negative optlen, EFAULT for one past the buffer; else 0. */
    private static int checkLength(int optlen, byte[] optval) {
        if (optlen < 0) {
            return -Errno.EINVAL;
        }
        return optlen > optval.length ? -Errno.EFAULT : 0;
    }

    private static int copyOut(byte[] value, byte[] optval, int[] optlen) {
        int n = Math.min(optlen[0], value.length);
        System.arraycopy(value, 0, optval, 0, n);
        optlen[0] = n;
        return 0;
    }

    /** An int option's value: its first four bytes (0 when shorter: a level that does not check). */
    private static int intValue(byte[] optval, int optlen) {
        return optlen < Integer.BYTES ? 0 : ByteBuffer.wrap(optval, 0, optlen).order(ORDER).getInt(0);
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
