package io.tcpsim.socket;

import static io.tcpsim.socket.SocketConstants.IPPROTO_TCP;
import static io.tcpsim.socket.SocketConstants.SOL_SOCKET;
import static io.tcpsim.socket.SocketConstants.SO_LINGER;
import static io.tcpsim.socket.SocketConstants.SO_RCVBUF;
import static io.tcpsim.socket.SocketConstants.TCP_CONGESTION;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tcpsim.tcp.TcpConfig;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Option values in their C form, on a socket without a connection. */
class OptionBytesTest {
    private final TcpSocket s = new TcpSocket(SocketConstants.AF_INET, false, new SocketSettings());

    private static TcpConfig config(String congestionControl) {
        return TcpConfig.linuxDefaults(1500).withCongestionControl(congestionControl);
    }

    private int set(int level, int name, byte[] value, int len) {
        return OptionBytes.set(s, level, name, value, len, SocketLimits.LINUX_DEFAULTS, 0);
    }

    @Test
    void congestionName_upToFifteenBytesOrTheNul_caseSensitive() {
        assertEquals(0, set(IPPROTO_TCP, TCP_CONGESTION, "cubic\0junk".getBytes(StandardCharsets.US_ASCII), 10));
        assertEquals("cubic", s.settings.congestion);
        assertEquals(-Errno.ENOENT, set(IPPROTO_TCP, TCP_CONGESTION, "Cubic".getBytes(StandardCharsets.US_ASCII), 5));
        assertEquals(-Errno.EINVAL, set(IPPROTO_TCP, TCP_CONGESTION, new byte[4], 0));
        assertEquals(-Errno.EFAULT, set(IPPROTO_TCP, TCP_CONGESTION, new byte[4], 5));
    }

    @Test
    void congestionName_readBackNulPaddedToSixteenBytes_orCut() {
        byte[] out = new byte[32];
        int[] len = {32};
        assertEquals(0, OptionBytes.get(s, IPPROTO_TCP, TCP_CONGESTION, out, len, config("cubic"), 0));
        assertEquals(16, len[0]);
        assertArrayEquals(Arrays.copyOf("cubic".getBytes(StandardCharsets.US_ASCII), 16), Arrays.copyOf(out, 16));
        len[0] = 3;
        assertEquals(0, OptionBytes.get(s, IPPROTO_TCP, TCP_CONGESTION, out, len, config("reno"), 0));
        assertEquals(3, len[0]);
    }

    @Test
    void lingerForever_readsBackAsLinuxOnAHz250Kernel() {
        // Linux: a negative l_linger is MAX_SCHEDULE_TIMEOUT jiffies; read back, LONG_MAX / HZ cut to an int.
        byte[] value = {1, 0, 0, 0, -1, -1, -1, -1};
        assertEquals(0, set(SOL_SOCKET, SO_LINGER, value, 8));
        assertEquals(new Linger(1, -1_752_346_657), SocketOptionCalls.linger(s.settings));
        assertEquals(-Errno.EINVAL, set(SOL_SOCKET, SO_LINGER, value, 7));
    }

    @Test
    void intOption_shortValueEinval_shortReadCutsTheBytes() {
        assertEquals(-Errno.EINVAL, set(SOL_SOCKET, SO_RCVBUF, new byte[] {0, 1}, 2));
        byte[] out = new byte[8];
        int[] len = {2};
        assertEquals(0, OptionBytes.get(s, SOL_SOCKET, SO_RCVBUF, out, len, config("reno"), 0));
        assertEquals(2, len[0]);
        assertEquals(SocketSettings.DEFAULT_RCVBUF & 0xFFFF, OptionBytes.toInt(out, 2));
        assertEquals(-Errno.EINVAL, OptionBytes.get(s, SOL_SOCKET, SO_RCVBUF, out, new int[] {-1}, config("reno"), 0));
    }
}
