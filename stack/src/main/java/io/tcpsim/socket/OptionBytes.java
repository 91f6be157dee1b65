package io.tcpsim.socket;

import io.tcpsim.tcp.TcpInfo;
import io.tcpsim.tcp.TcpLayer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Option values as the bytes getsockopt(2) copies to the caller's buffer (host byte order), and
 * the copy itself with Linux's length rules.
 */
final class OptionBytes {
    private OptionBytes() {
    }

    /** TCP_INFO of a socket, on the stack thread: listener, connection, or a fresh socket. */
    static byte[] tcpInfo(TcpSocket s, TcpLayer tcp, long now) {
        if (s.listener != null) {
            return TcpInfo.of(s.listener).toBytes();
        } else if (s.connection != null) {
            return TcpInfo.of(s.connection, s.tcpState(), now).toBytes();
        }
        return TcpInfo.unconnected(tcp.config()).toBytes();
    }

    static byte[] integer(int value) {
        return ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.nativeOrder()).putInt(value).array();
    }

    /** struct timeval on a 64-bit Linux: two longs. */
    static byte[] timeval(Timeval tv) {
        return ByteBuffer.allocate(2 * Long.BYTES).order(ByteOrder.nativeOrder()).putLong(tv.sec()).putLong(tv.usec())
                .array();
    }

    /**
     * Copies min(optlen, value length) bytes and stores the count in optlen (optlen is not
     * negative: {@link SocketApi} has answered EINVAL).
     *
     * @return 0, or -EFAULT when {@code optval} cannot hold the bytes
     */
    static int copyOut(byte[] value, byte[] optval, int[] optlen) {
        int len = Math.min(optlen[0], value.length);
        if (len > optval.length) {
            return -Errno.EFAULT;
        }
        System.arraycopy(value, 0, optval, 0, len);
        optlen[0] = len;
        return 0;
    }
}
