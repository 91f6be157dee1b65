package io.tcpsim.link.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tcpsim.tcp.TcpListener;
import io.tcpsim.testsupport.Captures;
import io.tcpsim.testsupport.RequiresTun;
import io.tcpsim.wire.Ipv4Address;
import io.tcpsim.wire.Ipv4Packet;
import io.tcpsim.wire.TcpPacket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * listen(fd, 2), nobody accepts, ten Linux clients connect one after the other: tcpsim must let in
 * exactly as many as Linux does in the same scenario kernel-to-kernel (the accept queue holds
 * backlog + 1) and leave the others' SYNs unanswered, as Linux does (both captures compared).
 */
@RequiresTun
class ListenBacklogTest {

    private static final int PORT = 5000;
    private static final int BACKLOG = 2;
    private static final int CLIENTS = 10;
    private static final long OBSERVE_MILLIS = 2500;

    /** What one run of the scenario showed. */
    record Outcome(int serverEstablished, int clientsEstablished, int synAcks, int clientsUnanswered) {
    }

    @Test
    void tcpsimAdmitsAsManyAsLinuxAndLeavesTheOthersUnanswered(@TempDir Path dir) throws Exception {
        Outcome linux = kernelToKernel(dir.resolve("linux.pcap"));
        Outcome tcpsim = kernelToTcpsim(dir.resolve("tcpsim.pcap"));
        assertEquals(new Outcome(BACKLOG + 1, BACKLOG + 1, BACKLOG + 1, CLIENTS - BACKLOG - 1), linux,
                "the referee: Linux's own behaviour on this kernel");
        assertEquals(linux, tcpsim);
    }

    private static Outcome kernelToKernel(Path pcap) throws Exception {
        try (KernelPair pair = KernelPair.create()) {
            ServerSocket server = pair.onServer(() -> new ServerSocket(PORT, BACKLOG,
                    java.net.InetAddress.getByName(KernelPair.SERVER)));
            Process capture = startCapture(pair, pcap);
            List<SocketChannel> clients = pair.onClient(() -> connectOneAfterAnother(KernelPair.SERVER));
            Thread.sleep(OBSERVE_MILLIS);
            int serverEstablished = countEstablished(pair.execOnServer("ss", "-tnH", "state", "established").stdout());
            int clientsEstablished = established(clients);
            stopCapture(capture);
            closeAll(clients);
            server.close();
            return outcome(serverEstablished, clientsEstablished, pcap, Ipv4Address.parse(KernelPair.SERVER));
        }
    }

    private static Outcome kernelToTcpsim(Path pcap) throws Exception {
        try (LiveStack live = LiveStack.start(pcap)) {
            TcpListener listener = live.onStack((tcp, now) -> tcp.listen(Ipv4Address.parse(LiveStack.STACK), PORT, BACKLOG));
            List<SocketChannel> clients = live.kernel(() -> connectOneAfterAnother(LiveStack.STACK));
            Thread.sleep(OBSERVE_MILLIS);
            int serverEstablished = live.onStack((tcp, now) -> listener.acceptQueueLength());
            int clientsEstablished = established(clients);
            closeAll(clients);
            live.close();
            return outcome(serverEstablished, clientsEstablished, pcap, Ipv4Address.parse(LiveStack.STACK));
        }
    }

    /** Each client waits up to 200 ms for its handshake before the next one starts. */
    private static List<SocketChannel> connectOneAfterAnother(String server) throws IOException, InterruptedException {
        List<SocketChannel> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            SocketChannel channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.connect(new InetSocketAddress(server, PORT));
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            while (!channel.finishConnect() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            clients.add(channel);
        }
        return clients;
    }

    private static int established(List<SocketChannel> clients) throws IOException {
        int n = 0;
        for (SocketChannel client : clients) {
            if (client.isConnected() || client.finishConnect()) {
                n++;
            }
        }
        return n;
    }

    private static Outcome outcome(int serverEstablished, int clientsEstablished, Path pcap, int serverAddress) {
        List<TcpPacket> fromServer = new ArrayList<>();
        java.util.Set<Integer> clientPorts = new java.util.HashSet<>();
        java.util.Set<Integer> answered = new java.util.HashSet<>();
        for (Captures.Frame frame : Captures.read(pcap)) {
            if (!(frame.ipPacket() instanceof Captures.LinkPayload.Ip(var packet))) {
                continue;
            }
            Ipv4Packet ip = Ipv4Packet.checked(packet);
            TcpPacket tcp = TcpPacket.checked(ip.payload());
            if (ip.srcAddr() == serverAddress && tcp.syn() && tcp.ack()) {
                fromServer.add(tcp);
                answered.add(tcp.dstPort());
            } else if (ip.srcAddr() != serverAddress && tcp.syn()) {
                clientPorts.add(tcp.srcPort());
            }
        }
        clientPorts.removeAll(answered);
        return new Outcome(serverEstablished, clientsEstablished, fromServer.size(), clientPorts.size());
    }

    private static int countEstablished(String ss) {
        return (int) ss.lines().filter(line -> line.contains(":" + PORT + " ")).count();
    }

    private static Process startCapture(KernelPair pair, Path pcap) throws IOException, InterruptedException {
        Process tcpdump = new ProcessBuilder(List.of("ip", "netns", "exec", pair.clientNamespace(), "tcpdump", "-U",
                "-ni", "vc", "-w", pcap.toString(), "tcp", "port", Integer.toString(PORT)))
                .redirectErrorStream(true).start();
        byte[] listening = tcpdump.getInputStream().readNBytes("tcpdump: listening".length());
        if (!new String(listening).startsWith("tcpdump: listening")) {
            throw new IOException("tcpdump did not start: " + new String(listening));
        }
        return tcpdump;
    }

    private static void stopCapture(Process tcpdump) throws InterruptedException {
        tcpdump.destroy();
        tcpdump.waitFor(10, TimeUnit.SECONDS);
    }

    private static void closeAll(List<SocketChannel> clients) throws IOException {
        for (SocketChannel client : clients) {
            client.close();
        }
    }
}
