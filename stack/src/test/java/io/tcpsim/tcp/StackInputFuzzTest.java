package io.tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tcpsim.testsupport.FuzzRuns;
import io.tcpsim.testsupport.RawPacket;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * Jazzer on the whole inbound path around live connections (docs/robustness.md, Fuzzing): a
 * {@link LiveStack} with a connection established through the listener, then a sequence of steps
 * the fuzzer chooses: segments from the peer with sequence and acknowledgment numbers near or far
 * from the window, any flags, window, urgent pointer, raw option bytes, any data offset and payload
 * length, a byte of the datagram flipped; the application writing, reading, closing; the clock
 * moving by up to minutes. After every step: no exception escaped (the stack counts none as an
 * internal error), every TCB's invariants hold ({@link TcbInvariants}), and memory is bounded
 * (connections, buffer bytes, packets sent per step).
 */
class StackInputFuzzTest {
    private static final FuzzRuns RUNS = new FuzzRuns("StackInputFuzzTest");
    private static final int MAX_STEPS = 48;
    private static final int MAX_CONNECTIONS = 16 + 1;
    private static final int MAX_PACKETS_PER_STEP = 512;
    private static final byte[] DATA = new byte[1460];

    @AfterAll
    static void report() {
        RUNS.assertFuzzed();
    }

    @FuzzTest(maxDuration = "10s")
    void inboundPath(FuzzedDataProvider data) {
        RUNS.count();
        try (LiveStack live = new LiveStack()) {
            TcpConnection c = open(live, data);
            assertSound(live);
            for (int step = 0; c != null && step < MAX_STEPS && data.remainingBytes() > 0; step++) {
                List<byte[]> sent = step(live, c, data);
                assertTrue(sent.size() <= MAX_PACKETS_PER_STEP, sent.size() + " packets sent in one step");
                assertSound(live);
            }
        }
    }

    /** The connection, or null when the listener refused the fuzzed SYN options (nothing to fuzz). */
    private static TcpConnection open(LiveStack live, FuzzedDataProvider data) {
        byte[] options = data.consumeBoolean() ? LiveStack.SYN_OPTIONS : data.consumeBytes(data.consumeInt(0, 40));
        try {
            return live.establish(options);
        } catch (IllegalStateException refused) {
            return null;
        }
    }

    private static List<byte[]> step(LiveStack live, TcpConnection c, FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 5)) {
            case 0, 1 -> live.input(segment(c, data).bytes());
            case 2 -> live.input(flipped(segment(c, data).bytes(), data));
            case 3 -> live.advance(data.consumeLong(0, 120_000_000_000L));
            case 4 -> {
                application(live, c, data);
                yield live.poll();
            }
            default -> live.input(LiveStack.fromPeer().srcPort(data.consumeInt(1, 65_535))
                    .seq(data.consumeInt()).ack(data.consumeInt()).flags(data.consumeInt(0, 255)).bytes());
        };
    }

    /** A segment from the peer on c's 4-tuple, each field near what c expects or anywhere. */
    private static RawPacket segment(TcpConnection c, FuzzedDataProvider data) {
        RawPacket p = LiveStack.fromPeer()
                .seq(near(c.rcvNxt(), data))
                .ack(near(c.sndUna(), data))
                .flags(data.consumeInt(0, 255))
                .window(data.consumeInt(0, 65_535))
                .urgentPointer(data.consumeBoolean() ? 0 : data.consumeInt(0, 65_535))
                .payload(Arrays.copyOf(DATA, data.consumeInt(0, DATA.length)));
        if (data.consumeBoolean()) {
            p.options(data.consumeBytes(data.consumeInt(0, 40)));
        }
        if (data.consumeInt(0, 7) == 0) {
            p.dataOffset(data.consumeInt(0, 15));
        }
        return p;
    }

    private static int near(int expected, FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 3)) {
            case 0 -> expected;
            case 1 -> expected + data.consumeInt(-3000, 3000);
            case 2 -> expected + data.consumeInt(-(1 << 20), 1 << 20);
            default -> data.consumeInt();
        };
    }

    private static byte[] flipped(byte[] packet, FuzzedDataProvider data) {
        packet[data.consumeInt(0, packet.length - 1)] ^= (byte) data.consumeInt(1, 255);
        return packet;
    }

    private static void application(LiveStack live, TcpConnection c, FuzzedDataProvider data) {
        long now = live.now();
        try {
            switch (data.consumeInt(0, 4)) {
                case 0 -> c.write(DATA, 0, data.consumeInt(0, DATA.length), now);
                case 1 -> c.read(new byte[4096], 0, 4096, now);
                case 2 -> c.shutdownOutput(now);
                case 3 -> c.close(now);
                default -> c.setKeepAlive(data.consumeBoolean(), now);
            }
        } catch (TcpException errno) {
            assertTrue(errno.error() != null, "a call refused with Linux's errno");
        }
    }

    private static void assertSound(LiveStack live) {
        assertEquals(0, live.internalErrors(), "an exception escaped into the internal-error counter");
        List<TcpConnection> connections = live.tcp().connections();
        assertTrue(connections.size() <= MAX_CONNECTIONS, connections.size() + " connections");
        for (TcpConnection each : connections) {
            assertEquals(List.of(), TcbInvariants.violations(each), each.toString());
        }
    }
}
