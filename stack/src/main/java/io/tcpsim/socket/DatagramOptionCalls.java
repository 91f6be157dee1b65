package io.tcpsim.socket;

import static io.tcpsim.socket.SocketConstants.AF_INET6;
import static io.tcpsim.socket.SocketConstants.IPPROTO_IP;
import static io.tcpsim.socket.SocketConstants.IPPROTO_IPV6;
import static io.tcpsim.socket.SocketConstants.IPV6_V6ONLY;
import static io.tcpsim.socket.SocketConstants.IPPROTO_UDP;
import static io.tcpsim.socket.SocketConstants.SOCK_DGRAM;
import static io.tcpsim.socket.SocketConstants.SOL_SOCKET;
import static io.tcpsim.socket.SocketConstants.SO_ACCEPTCONN;
import static io.tcpsim.socket.SocketConstants.SO_ERROR;
import static io.tcpsim.socket.SocketConstants.SO_KEEPALIVE;
import static io.tcpsim.socket.SocketConstants.SO_RCVBUF;
import static io.tcpsim.socket.SocketConstants.SO_REUSEADDR;
import static io.tcpsim.socket.SocketConstants.SO_REUSEPORT;
import static io.tcpsim.socket.SocketConstants.SO_SNDBUF;
import static io.tcpsim.socket.SocketConstants.SO_TYPE;

/**
 * The int options of setsockopt(2) and getsockopt(2) on a UDP socket, on the stack thread
 * ({@link OptionBytes} has the C form and the struct options): socket(7) for SOL_SOCKET (the
 * buffer sizes doubled and capped as for TCP; SO_RCVBUF limits the receive queue, SO_SNDBUF is
 * kept only); ipv6(7) IPV6_V6ONLY on an AF_INET6 socket; no other IP, IPv6 or UDP level option is
 * supported (ENOPROTOOPT), and getsockopt of any other level is EOPNOTSUPP (Linux
 * do_ip_getsockopt()). Results are the value (get) or 0 (set),
 * or -errno.
 */
final class DatagramOptionCalls {
    private DatagramOptionCalls() {
    }

    static int set(UdpSocket s, int level, int name, int value, SocketLimits limits) {
        if (level == IPPROTO_IPV6 && s.family == AF_INET6 && name == IPV6_V6ONLY) {
            return setV6Only(s, value);
        } else if (level != SOL_SOCKET) {
            return -Errno.ENOPROTOOPT;
        }
        SocketSettings o = s.settings;
        switch (name) {
            case SO_REUSEADDR -> s.endpoint.setReuseAddress(value != 0);
            case SO_REUSEPORT -> s.endpoint.setReusePort(value != 0);
            case SO_KEEPALIVE -> o.keepAlive = value != 0; // Linux: kept, without effect on UDP
            case SO_SNDBUF -> o.sndBuf = Math.max(2 * SocketOptionCalls.capped(value, limits.wmemMax()),
                    SocketSettings.MIN_SNDBUF);
            case SO_RCVBUF -> {
                o.rcvBuf = Math.max(2 * SocketOptionCalls.capped(value, limits.rmemMax()), SocketSettings.MIN_RCVBUF);
                s.endpoint.setRcvBuf(o.rcvBuf);
            }
            default -> {
                return -Errno.ENOPROTOOPT;
            }
        }
        return 0;
    }

    /** ipv6(7) IPV6_V6ONLY: EINVAL once the socket has a port (Linux do_ipv6_setsockopt(): inet_num). */
    private static int setV6Only(UdpSocket s, int value) {
        if (s.endpoint.isBound()) {
            return -Errno.EINVAL;
        }
        s.endpoint.setIpv6Only(value != 0);
        return 0;
    }

    static long get(UdpSocket s, int level, int name) {
        if (level == IPPROTO_IPV6 && s.family == AF_INET6) {
            return name == IPV6_V6ONLY ? (s.endpoint.ipv6Only() ? 1 : 0) : -Errno.ENOPROTOOPT;
        } else if (level == IPPROTO_IP || level == IPPROTO_UDP || level == IPPROTO_IPV6) {
            return -Errno.ENOPROTOOPT;
        } else if (level != SOL_SOCKET) {
            return -Errno.EOPNOTSUPP;
        }
        SocketSettings o = s.settings;
        return switch (name) {
            case SO_REUSEADDR -> s.endpoint.reuseAddress() ? 1 : 0;
            case SO_REUSEPORT -> s.endpoint.reusePort() ? 1 : 0;
            case SO_KEEPALIVE -> o.keepAlive ? 1 : 0;
            case SO_TYPE -> SOCK_DGRAM;
            case SO_ERROR -> s.takeError();
            case SO_ACCEPTCONN -> 0;
            case SO_SNDBUF -> o.sndBuf;
            case SO_RCVBUF -> o.rcvBuf;
            default -> -Errno.ENOPROTOOPT;
        };
    }
}
