package io.tcpsim.link.tun;

import static io.tcpsim.socket.SocketConstants.AF_INET;
import static io.tcpsim.socket.SocketConstants.SOCK_STREAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.app.SampleServers;
import io.tcpsim.app.Service;
import io.tcpsim.socket.SockAddrIn;
import io.tcpsim.socket.SocketApi;
import io.tcpsim.testsupport.RequiresTun;
import io.tcpsim.tun.ProcessResult;
import io.tcpsim.wire.Ipv4Address;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * iperf2 against tcpsim through a real TUN: the kernel's iperf2 client against tcpsim's discard
 * service, and tcpsim writing to the kernel's iperf2 server. Each is followed, in the same test,
 * by the same iperf2 run kernel to kernel over a veth pair ({@link KernelPair}), and the ratio is
 * printed (figures go to docs/benchmarks.md; nothing about speed is asserted).
 *
 * <p>iperf2's client opens its stream with a 60-byte settings header and expects no answer unless
 * the header asks for one (it does not by default); tcpsim's discard service drops the header like
 * the rest, and iperf2 counts it among the bytes it wrote. iperf2's server reads whatever arrives
 * and reports the rate; tcpsim writes zeros, which iperf2 takes as a header without flags.
 * {@code -Dtcpsim.iperf.seconds=N} sets the length of each run (3 s by default).
 */
@RequiresTun
class IperfTest {

    private static final int STACK = Ipv4Address.parse(LiveStack.STACK);
    private static final String SECONDS = Integer.toString(Integer.getInteger("tcpsim.iperf.seconds", 3));
    private static final long TIMEOUT_SECONDS = Integer.parseInt(SECONDS) + 30L;
    private static final String IPERF_PORT = "5001";
    /** The rate in iperf2's report line: "[  1] 0.0000-3.0814 sec  30.4 MBytes  82.7 Mbits/sec". */
    private static final Pattern RATE = Pattern.compile("sec\\s+[\\d.]+ [KMG]?Bytes\\s+([\\d.]+) ([KMG]?)bits/sec");
    private static final int CHUNK = 128 * 1024;

    @Test
    void iperfClientAgainstTcpsimDiscardCompletesAndReportsARate() throws Exception {
        double tcpsim;
        try (LiveStack live = LiveStack.start(null)) {
            SocketApi api = new SocketApi(live.stack(), LiveStack.clock(), STACK);
            try (SampleServers discard = SampleServers.start(api, STACK, List.of(new Service.On(Service.DISCARD, 9)))) {
                ProcessResult iperf = live.exec("timeout", Long.toString(TIMEOUT_SECONDS),
                        "iperf", "-c", LiveStack.STACK, "-p", "9", "-t", SECONDS);
                assertEquals(0, iperf.exitCode(), "iperf2's exit status\n" + iperf.stdout() + iperf.stderr());
                tcpsim = bitsPerSecond(iperf.stdout());
            }
        }
        double kernel = kernelToKernel();
        report("iperf -c (kernel) -> tcpsim discard", tcpsim, kernel);
        assertTrue(tcpsim > 0, "iperf2 reported a rate");
    }

    @Test
    void tcpsimWritingToTheKernelsIperfServerIsMeasuredByIt() throws Exception {
        double tcpsim;
        try (LiveStack live = LiveStack.start(null)) {
            Process server = startIperfServer(() -> live.command(iperfServer(LiveStack.KERNEL)),
                    () -> live.exec("ss", "-ltnH", "sport", "= :" + IPERF_PORT));
            try {
                writeZerosFor(new SocketApi(live.stack(), LiveStack.clock(), STACK), Long.parseLong(SECONDS));
                tcpsim = bitsPerSecond(awaitServer(server));
            } finally {
                server.destroyForcibly();
            }
        }
        double kernel = kernelToKernel();
        report("tcpsim -> iperf -s (kernel)", tcpsim, kernel);
        assertTrue(tcpsim > 0, "iperf2's server reported a rate");
    }

    /** iperf2 client to iperf2 server over a veth pair: the referee's rate in bits per second. */
    private static double kernelToKernel() throws Exception {
        try (KernelPair pair = KernelPair.create()) {
            Process server = startIperfServer(() -> pair.commandOnServer(iperfServer(KernelPair.SERVER)),
                    () -> pair.execOnServer("ss", "-ltnH", "sport", "= :" + IPERF_PORT));
            try {
                ProcessResult client = pair.execOnClient("timeout", Long.toString(TIMEOUT_SECONDS),
                        "iperf", "-c", KernelPair.SERVER, "-p", IPERF_PORT, "-t", SECONDS);
                assertEquals(0, client.exitCode(), "iperf2's exit status\n" + client.stdout() + client.stderr());
                awaitServer(server);
                return bitsPerSecond(client.stdout());
            } finally {
                server.destroyForcibly();
            }
        }
    }

    /** iperf2's server on {@code address}, exiting after one client ({@code -P 1}). */
    private static String[] iperfServer(String address) {
        return new String[] {"timeout", Long.toString(TIMEOUT_SECONDS + 10), "iperf", "-s", "-B", address, "-p",
                IPERF_PORT, "-P", "1"};
    }

    /** Starts the server and waits (at most 5 s) until {@code ss} shows it listening. */
    private static Process startIperfServer(Supplier<ProcessBuilder> command, Listening listening) throws Exception {
        Process server = command.get().redirectErrorStream(true).start();
        for (int i = 0; i < 50 && listening.check().stdout().isBlank(); i++) {
            Thread.sleep(100);
        }
        if (listening.check().stdout().isBlank()) {
            server.destroy();
            throw new AssertionError("iperf -s is not listening after 5 s: "
                    + new String(server.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        return server;
    }

    /** What shows the server's listening socket, or nothing. */
    @FunctionalInterface
    private interface Listening {
        ProcessResult check() throws IOException;
    }

    /** Waits for the server to exit after its one client (its {@code timeout} bounds the wait); returns its report. */
    private static String awaitServer(Process server) throws Exception {
        String output = new String(server.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(server.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "iperf -s exits after its client");
        assertEquals(0, server.exitValue(), "iperf -s exit status\n" + output);
        return output;
    }

    /** tcpsim connects to the kernel's iperf2 server and writes zeros for {@code seconds}, then closes. */
    private static void writeZerosFor(SocketApi api, long seconds) {
        int fd = api.socket(AF_INET, SOCK_STREAM, 0);
        check(api.connect(fd, SockAddrIn.of(Ipv4Address.parse(LiveStack.KERNEL), Integer.parseInt(IPERF_PORT))),
                "connect");
        byte[] zeros = new byte[CHUNK];
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            check(api.write(fd, zeros, 0, zeros.length), "write");
        }
        check(api.close(fd), "close");
    }

    /** The last rate iperf2 printed, in bits per second. */
    static double bitsPerSecond(String report) {
        Matcher m = RATE.matcher(report);
        double rate = -1;
        while (m.find()) {
            double scale = switch (m.group(2)) {
                case "K" -> 1e3;
                case "M" -> 1e6;
                case "G" -> 1e9;
                default -> 1;
            };
            rate = Double.parseDouble(m.group(1)) * scale;
        }
        assertTrue(rate >= 0, "iperf2 printed a rate:\n" + report);
        return rate;
    }

    private static void report(String what, double tcpsim, double kernel) {
        System.out.printf("%s: %.0f Mbit/s; kernel -> kernel over veth: %.0f Mbit/s; ratio %.3f%n",
                what, tcpsim / 1e6, kernel / 1e6, tcpsim / kernel);
    }

    private static void check(long result, String call) {
        if (result < 0) {
            throw new AssertionError(call + " failed: errno " + SocketApi.errno());
        }
    }
}
