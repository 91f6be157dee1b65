package io.tcpsim.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.PairLoop;
import io.tcpsim.StackConfig;
import io.tcpsim.socket.SocketApi;
import io.tcpsim.tcp.IsnGenerator;
import io.tcpsim.tcp.TcpConfig;
import io.tcpsim.time.SystemClock;
import io.tcpsim.wire.Ipv4Address;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The buffer experiment between two stacks in-process, on the real clock: the first writes fit
 * in the peer's window and the send buffer and return at once; once both are full, writes wait
 * for the sleeping server's reads, the peer's window closes and SIOCOUTQ stays near the send
 * buffer; every byte written is read.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BufferExperimentTest {
    private static final int CLIENT = Ipv4Address.parse("10.0.0.1");
    private static final int SERVER = Ipv4Address.parse("10.0.0.2");
    private static final int BUFFER = 8192;
    private static final int WRITE = 1024;
    private static final int SLEEP_MS = 120;
    private static final int WRITES = 24;

    @Test
    void writesReturnAtOnceUntilTheBuffersFillThenWaitForTheReader() throws Exception {
        TcpConfig defaults = TcpConfig.linuxDefaults(1500);
        SystemClock clock = new SystemClock();
        List<BufferExperiment.Write> seen = new ArrayList<>();
        BufferExperiment.Result r;
        try (PairLoop pair = PairLoop.start(
                new StackConfig(CLIENT, defaults.withBuffers(defaults.receiveBuffer(), BUFFER), IsnGenerator.random()),
                new StackConfig(SERVER, defaults.withBuffers(BUFFER, defaults.sendBuffer()), IsnGenerator.random()),
                1500, TimeUnit.MILLISECONDS.toNanos(1), clock)) {
            r = BufferExperiment.run(new SocketApi(pair.first(), clock, CLIENT), new SocketApi(pair.second(), clock, SERVER),
                    SERVER, new BufferExperiment.Settings(WRITE, WRITES, SLEEP_MS, 5001), seen::add);
        }
        assertEquals(WRITES, r.writes().size());
        assertEquals(seen, r.writes(), "every write was reported as it happened");
        assertEquals((long) WRITE * WRITES, r.written());
        assertEquals(r.written(), r.received(), "every byte written was read");

        long half = TimeUnit.MILLISECONDS.toNanos(SLEEP_MS / 2);
        BufferExperiment.Write first = r.writes().getFirst();
        assertEquals(0, first.blockedNanos(), "the first write fits in the empty send buffer: " + first);
        assertTrue(first.peerWindow() > BUFFER / 2, "the peer's window is open at first: " + first);
        // The server reads 1 KiB per 120 ms; 16 KiB of buffers are full long before 24 writes.
        List<BufferExperiment.Write> late = r.writes().subList(WRITES / 2, WRITES);
        assertTrue(late.stream().anyMatch(w -> w.blockedNanos() >= half), "later writes wait for reads: " + late);
        assertTrue(late.stream().anyMatch(w -> w.peerWindow() < WRITE), "the peer's window closes: " + late);
        // A blocked writer wakes once the free space is half of what is queued (Linux
        // __sk_stream_is_writeable()), so at least half the buffer is still unacknowledged then.
        assertTrue(late.stream().allMatch(w -> w.unacknowledged() >= BUFFER / 2), "SIOCOUTQ stays high: " + late);
    }
}
