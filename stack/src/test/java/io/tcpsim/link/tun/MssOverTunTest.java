package io.tcpsim.link.tun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.app.EchoServer;
import io.tcpsim.testsupport.Captures;
import io.tcpsim.testsupport.RequiresTun;
import io.tcpsim.wire.Ipv4Address;
import io.tcpsim.wire.Ipv4Packet;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The MSS tcpsim advertises and uses follows the TUN's MTU (MTU - 40, RFC 9293 §3.7.1). */
@RequiresTun
class MssOverTunTest {

    private static final int STACK = Ipv4Address.parse(LiveStack.STACK);

    @ParameterizedTest(name = "MTU {0}")
    @ValueSource(ints = {1280, 1500, 9000})
    void advertisedAndUsedMssFollowTheMtu(int mtu, @TempDir Path dir) throws Exception {
        Path pcap = dir.resolve("mss.pcap");
        int mss = mtu - 40;
        byte[] data = new byte[3 * mss + 100];
        new Random(mtu).nextBytes(data);
        try (LiveStack live = LiveStack.start(pcap, mtu, tcp -> tcp)) {
            live.onStack((tcp, now) -> EchoServer.listen(tcp, LiveStack.clock(), STACK, 7, 16));
            byte[] echoed = live.kernel(() -> {
                try (Socket socket = new Socket(LiveStack.STACK, 7)) {
                    socket.getOutputStream().write(data);
                    return socket.getInputStream().readNBytes(data.length);
                }
            });
            assertArrayEquals(data, echoed);
        }
        List<TcpRepr> fromTcpsim = segmentsFrom(pcap, STACK);
        TcpRepr synAck = fromTcpsim.stream().filter(s -> (s.flags() & TcpPacket.SYN) != 0).findFirst().orElseThrow();
        assertEquals(mss, synAck.mss().orElseThrow(), "advertised MSS");
        int largest = fromTcpsim.stream().mapToInt(s -> (int) s.payload().byteSize()).max().orElseThrow();
        int timestampBytes = synAck.timestamps().isPresent() ? 12 : 0;
        assertEquals(mss - timestampBytes, largest, "largest segment tcpsim sent (RFC 7323: 12 bytes of timestamps)");
        List<TcpRepr> fromKernel = segmentsFrom(pcap, Ipv4Address.parse(LiveStack.KERNEL));
        assertEquals(mss, fromKernel.getFirst().mss().orElseThrow(), "the kernel's SYN at the same MTU");
        assertTrue(fromKernel.stream().allMatch(s -> s.payload().byteSize() <= mss - timestampBytes),
                "the kernel respects our MSS");
    }

    private static List<TcpRepr> segmentsFrom(Path pcap, int source) {
        return Captures.read(pcap).stream()
                .map(frame -> ((Captures.LinkPayload.Ip) frame.ipPacket()).packet())
                .map(Ipv4Packet::checked)
                .filter(ip -> ip.protocol() == Ipv4Packet.PROTO_TCP && ip.srcAddr() == source)
                .map(ip -> TcpRepr.parse(TcpPacket.checked(ip.payload()), ip.srcAddr(), ip.dstAddr()))
                .toList();
    }
}
