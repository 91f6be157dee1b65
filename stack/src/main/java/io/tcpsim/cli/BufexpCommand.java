package io.tcpsim.cli;

import io.tcpsim.PairLoop;
import io.tcpsim.StackConfig;
import io.tcpsim.app.BufferExperiment;
import io.tcpsim.socket.SocketApi;
import io.tcpsim.tcp.IsnGenerator;
import io.tcpsim.tcp.TcpConfig;
import io.tcpsim.time.Clock;
import io.tcpsim.time.SystemClock;
import io.tcpsim.wire.Ipv4Address;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tcpsim bufexp}: the buffer experiment ({@link BufferExperiment}) between two tcpsim
 * stacks joined in this process ({@link PairLoop}), on the real clock: no TUN, no namespace, no root.
 */
@Command(
        name = "bufexp",
        mixinStandardHelpOptions = true,
        description = {"The buffer experiment: a client writes as fast as it can to a server that sleeps after each",
                "read; for each write, how long it blocked, SIOCOUTQ and the peer's window (TCP_INFO snd_wnd).",
                "Both ends are tcpsim stacks joined in this process (1 ms each way): no namespace needed.",
                "Example: tcpsim bufexp --sndbuf 16384 --rcvbuf 16384 --write-size 2048 --sleep-ms 50 --writes 40"})
final class BufexpCommand implements Callable<Integer> {
    static final int CLIENT = Ipv4Address.parse("10.0.0.1");
    static final int SERVER = Ipv4Address.parse("10.0.0.2");
    private static final int MTU = 1500;
    private static final int PORT = 5001;
    private static final long ONE_WAY_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int MAX_BUFFER = 16 << 20;

    @Spec
    CommandSpec spec;

    @Option(names = "--sndbuf", paramLabel = "N", defaultValue = "16384",
            description = "The client's send buffer in bytes, 1024 to 16 MiB (default: ${DEFAULT-VALUE}).")
    int sndbuf;

    @Option(names = "--rcvbuf", paramLabel = "N", defaultValue = "16384",
            description = "The server's receive buffer in bytes, 1024 to 16 MiB (default: ${DEFAULT-VALUE}).")
    int rcvbuf;

    @Option(names = "--write-size", paramLabel = "N", defaultValue = "2048",
            description = "Bytes per write and per server read, 1 to 1 MiB (default: ${DEFAULT-VALUE}).")
    int writeSize;

    @Option(names = "--sleep-ms", paramLabel = "N", defaultValue = "50",
            description = "The server's pause after each read, 0 to 10000 ms (default: ${DEFAULT-VALUE}).")
    int sleepMillis;

    @Option(names = "--writes", paramLabel = "N", defaultValue = "40",
            description = "How many writes, 1 to 100000 (default: ${DEFAULT-VALUE}).")
    int writes;

    @Override
    public Integer call() throws Exception {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        Clock clock = new SystemClock();
        TcpConfig defaults = TcpConfig.linuxDefaults(MTU);
        // The buffers are the stacks' (Linux's tcp_wmem / tcp_rmem defaults), set per stack here.
        StackConfig client = new StackConfig(CLIENT, defaults.withBuffers(defaults.receiveBuffer(), sndbuf),
                IsnGenerator.random());
        StackConfig server = new StackConfig(SERVER, defaults.withBuffers(rcvbuf, defaults.sendBuffer()),
                IsnGenerator.random());
        out.printf("client %s (send buffer %d) -> server %s:%d (receive buffer %d; reads %d bytes, then sleeps %d ms)%n",
                Ipv4Address.format(CLIENT), sndbuf, Ipv4Address.format(SERVER), PORT, rcvbuf, writeSize, sleepMillis);
        out.printf("%5s %8s %11s %9s %11s%n", "write", "bytes", "blocked_ms", "SIOCOUTQ", "peer_window");
        out.flush();
        try (PairLoop pair = PairLoop.start(client, server, MTU, ONE_WAY_DELAY_NANOS, clock)) {
            BufferExperiment.Result result = BufferExperiment.run(new SocketApi(pair.first(), clock, CLIENT),
                    new SocketApi(pair.second(), clock, SERVER), SERVER,
                    new BufferExperiment.Settings(writeSize, writes, sleepMillis, PORT), w -> {
                        out.printf("%5d %8d %11.1f %9d %11d%n", w.index(), w.bytes(), w.blockedNanos() / 1e6,
                                w.unacknowledged(), w.peerWindow());
                        out.flush();
                    });
            out.printf("%d writes, %d bytes written; the server read %d bytes%n", result.writes().size(), result.written(),
                    result.received());
            out.flush();
            return result.received() == result.written() ? 0 : 1;
        }
    }

    private void validate() {
        requireRange("--sndbuf", sndbuf, 1024, MAX_BUFFER);
        requireRange("--rcvbuf", rcvbuf, 1024, MAX_BUFFER);
        requireRange("--write-size", writeSize, 1, 1 << 20);
        requireRange("--sleep-ms", sleepMillis, 0, 10_000);
        requireRange("--writes", writes, 1, 100_000);
    }

    private void requireRange(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ParameterException(spec.commandLine(),
                    option + " must be between " + min + " and " + max + ", got " + value);
        }
    }
}
