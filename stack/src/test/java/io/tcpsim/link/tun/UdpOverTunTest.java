package io.tcpsim.link.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.ip.IpDrop;
import io.tcpsim.testsupport.RequiresTun;
import io.tcpsim.tun.ProcessResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel's UDP against tcpsim's through a real TUN: a closed port answers with an ICMP port
 * unreachable that the kernel turns into ECONNREFUSED, rate limited as Linux limits it, and
 * tshark finds the UDP and ICMP in the capture well formed.
 */
@RequiresTun
class UdpOverTunTest {

    /** A connected kernel UDP socket sends to a port tcpsim does not hold and reads the outcome. */
    private static final String CONNECTED_TO_CLOSED_PORT = """
            import socket
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.connect(('10.0.0.2', 5999))
            s.send(b'probe')
            s.settimeout(5)
            try:
                s.recv(100)
                print('datagram')
            except ConnectionRefusedError:
                print('ECONNREFUSED')
            except TimeoutError:
                print('timeout')
            """;

    /** Twenty datagrams at once from one unconnected socket to a closed port. */
    private static final String BURST_TO_CLOSED_PORT = """
            import socket
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            for i in range(20):
                s.sendto(b'burst', ('10.0.0.2', 5998))
            print('sent')
            """;

    @Test
    void kernelSocketConnectedToAClosedPort_getsEconnrefused_andTsharkSeesWellFormedUdpAndIcmp(@TempDir Path dir)
            throws Exception {
        Path pcap = dir.resolve("udp.pcap");
        try (LiveStack live = LiveStack.start(pcap)) {
            ProcessResult r = live.exec("/usr/bin/python3", "-c", CONNECTED_TO_CLOSED_PORT);
            assertEquals("ECONNREFUSED", r.stdout().strip(), r.stderr());
            assertEquals(1, live.stack().udp().counters().noPorts());
            assertEquals(0, live.stack().counters().dropped(IpDrop.INTERNAL_ERROR));
        }
        List<String> unreachables = tshark(pcap, "-Y", "icmp.type == 3 && icmp.code == 3",
                "-T", "fields", "-e", "ip.src", "-e", "udp.dstport");
        assertEquals(List.of("10.0.0.2,10.0.0.1\t5999"), unreachables, "one port unreachable quoting the datagram");
        assertEquals(1, tshark(pcap, "-Y", "udp && !icmp && udp.payload == 70:72:6f:62:65").size(), "the probe");
        List<String> bad = tshark(pcap, "-o", "udp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE", "-Y",
                "udp.checksum.status != 1 || ip.checksum.status != 1 || icmp.checksum.status != 1"
                        + " || _ws.malformed || _ws.expert.severity >= error");
        assertEquals(List.of(), bad, "tshark finds bad checksums or malformed packets");
    }

    /**
     * Linux's per-destination limit lets 6 errors out at once, then one a second: twenty datagrams
     * sent within well under a second draw 6 (7 if the burst straddles a refill on a slow machine).
     */
    @Test
    void burstOfDatagramsToAClosedPort_portUnreachablesRateLimited() throws Exception {
        try (LiveStack live = LiveStack.start(null)) {
            ProcessResult r = live.exec("/usr/bin/python3", "-c", BURST_TO_CLOSED_PORT);
            assertEquals("sent", r.stdout().strip(), r.stderr());
            long noPorts = awaitNoPorts(live, 20);
            long sent = live.stack().counters().snapshot().get("IcmpOutDestUnreachs");
            long limited = live.stack().counters().snapshot().get("IcmpOutRateLimitHost");
            assertEquals(20, noPorts);
            assertTrue(sent == 6 || sent == 7, "port unreachables sent: " + sent);
            assertEquals(20, sent + limited);
        }
    }

    private static long awaitNoPorts(LiveStack live, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long seen = live.stack().udp().counters().noPorts();
        while (seen < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
            seen = live.stack().udp().counters().noPorts();
        }
        return seen;
    }

    private static List<String> tshark(Path pcap, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "tshark finished");
        assertEquals(0, process.exitValue(), "tshark -r " + pcap + " exit status");
        return out.lines().filter(line -> !line.isBlank()).toList();
    }
}
