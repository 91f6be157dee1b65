package io.tcpsim.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tcpsim.sim.ImpairedPair.Impairment;
import io.tcpsim.tcp.TcpConfig;
import io.tcpsim.tcp.TcpConnection;
import io.tcpsim.tcp.TcpCounters;
import io.tcpsim.tcp.TcpState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bulk transfers between two TCP layers through a seeded impaired wire: every byte arrives
 * exactly once and in order, the transfer never stalls, and it ends within a bound of virtual
 * time. RTT 20 ms (10 ms each way), 64 KiB buffers.
 */
class ImpairedTransferTest {
    private static final long MS = 1_000_000L;
    private static final int MB = 1 << 20;

    private static byte at(long i) {
        return (byte) (i * 31 + (i >>> 11) * 7 + 5);
    }

    /** Moves {@code size} bytes client to server, then closes both ways; returns the virtual time taken. */
    static long transfer(ImpairedPair pair, int size, long boundNanos) {
        TcpConnection[] c = pair.open();
        long start = pair.now();
        byte[] chunk = new byte[65536];
        byte[] buf = new byte[65536];
        long sent = 0;
        long received = 0;
        while (received < size) {
            while (sent < size) {
                int n = (int) Math.min(chunk.length, size - sent);
                for (int i = 0; i < n; i++) {
                    chunk[i] = at(sent + i);
                }
                int w = c[0].write(chunk, 0, n, pair.now());
                sent += w;
                if (w < n) {
                    break;
                }
            }
            for (int n = c[1].read(buf, 0, buf.length, pair.now()); n > 0; n = c[1].read(buf, 0, buf.length, pair.now())) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] != at(received + i)) {
                        fail("byte " + (received + i) + " differs");
                    }
                }
                received += n;
            }
            if (received < size && !pair.step()) {
                fail("stalled at " + received + " of " + size + ": " + c[0] + " una " + c[0].sndUna() + " nxt "
                        + c[0].sndNxt() + "; " + c[1] + " rcvNxt " + c[1].rcvNxt());
            }
            if (pair.now() - start > boundNanos) {
                fail("took longer than " + boundNanos / MS + " ms: " + received + " of " + size + " bytes");
            }
        }
        long took = pair.now() - start;
        c[0].close(pair.now());
        pair.runUntil(pair.now() + 60_000 * MS);
        assertEquals(-1, c[1].read(buf, 0, buf.length, pair.now()), "end of stream after every byte");
        c[1].close(pair.now());
        pair.runUntil(pair.now() + 200_000 * MS);
        assertEquals(TcpState.CLOSED, c[1].state());
        return took;
    }

    @ParameterizedTest(name = "{0}: loss {1} dup {2} reorder {3}, {4} MB in under {5} s")
    @CsvSource({
        "reno, 0, 0, 0, 4, 3",
        "cubic, 0, 0, 0, 4, 3",
        "reno, 0.01, 0, 0, 4, 12",
        "cubic, 0.01, 0, 0, 4, 12",
        "reno, 0.05, 0, 0, 4, 60",
        "cubic, 0.05, 0, 0, 4, 60",
        "reno, 0.10, 0, 0, 2, 100",
        "cubic, 0.10, 0, 0, 2, 100",
        "cubic, 0, 0.05, 0, 4, 3",
        "cubic, 0, 0, 0.10, 4, 20",
        "reno, 0.02, 0.02, 0.05, 2, 15",
    })
    void transferThroughImpairedWireDeliversEveryByteOnceInOrder(String cc, double loss, double dup,
                                                                 double reorder, int megabytes, int boundSeconds) {
        // Timestamps on (RFC 7323): TSecr RTT samples and PAWS on every segment.
        TcpConfig config = TcpConfig.linuxDefaults(1500).withCongestionControl(cc).withTimestamps(true);
        ImpairedPair pair = new ImpairedPair(config, new Impairment(loss, dup, reorder, 10 * MS, 15 * MS),
                42L + megabytes);
        long took = transfer(pair, megabytes * MB, boundSeconds * 1000 * MS);
        assertTrue(took > 0);
        if (loss > 0) {
            assertTrue(pair.a.counters().retransSegs() > 0, "retransmissions counted");
        }
    }

    /**
     * A sender whose output segments (TSO) sends new data in segments of up to 64 KiB that the
     * output cuts by the MSS, each impaired on its own: every byte still arrives once and in
     * order, with SACK and without, losses inside the large segments resent.
     */
    @ParameterizedTest(name = "TSO, {0}, sack {1}: loss {2} reorder {3}")
    @CsvSource({
        "cubic, true, 0, 0",
        "cubic, true, 0.02, 0",
        "reno, false, 0.02, 0",
        "cubic, true, 0.02, 0.05",
    })
    void transferWithSegmentationOffloadDeliversEveryByteOnceInOrder(String cc, boolean sack, double loss,
                                                                     double reorder) {
        TcpConfig config = TcpConfig.linuxDefaults(1500).withCongestionControl(cc).withTimestamps(true)
                .withSack(sack);
        ImpairedPair pair = new ImpairedPair(config, new Impairment(loss, 0, reorder, 10 * MS, 15 * MS), 11L, true);
        assertTrue(transfer(pair, 4 * MB, 60_000 * MS) > 0);
        assertTrue(pair.segmented > 0, "segments longer than the MSS were sent");
        assertTrue(pair.segments > 4L * MB / 1448, "the wire carried MSS-sized segments: " + pair.segments);
        if (loss > 0) {
            assertTrue(pair.a.counters().retransSegs() > 0, "retransmissions counted");
        }
    }

    /**
     * The same seeded 5 % loss with SACK (RFC 6675 recovery) and without (NewReno, RFC 6582): SACK
     * repairs several losses of one window without waiting for the retransmission timer, so the
     * sender needs fewer RTOs.
     */
    @ParameterizedTest(name = "{0}: 5 % loss, seed {1}")
    @CsvSource({"reno, 7", "cubic, 7", "cubic, 8"})
    void withFivePercentLossSackNeedsFewerRtosThanNewReno(String cc, long seed) {
        TcpConfig config = TcpConfig.linuxDefaults(1500).withCongestionControl(cc).withTimestamps(true);
        Impairment loss = new Impairment(0.05, 0, 0, 10 * MS, 15 * MS);
        ImpairedPair sack = new ImpairedPair(config, loss, seed);
        transfer(sack, 4 * MB, 60_000 * MS);
        ImpairedPair newReno = new ImpairedPair(config.withSack(false), loss, seed);
        transfer(newReno, 4 * MB, 60_000 * MS);
        TcpCounters withSack = sack.a.counters();
        TcpCounters without = newReno.a.counters();
        assertTrue(withSack.sackRecovery() > 0 && withSack.renoRecovery() == 0, "SACK recovery used: " + withSack);
        assertTrue(without.renoRecovery() > 0 && without.sackRecovery() == 0, "NewReno used: " + without);
        assertTrue(withSack.timeouts() < without.timeouts(),
                "RTOs with SACK " + withSack.timeouts() + ", without " + without.timeouts());
    }
}
