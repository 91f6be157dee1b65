package io.tcpsim.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tcpsim.sim.ImpairedPair.Impairment;
import io.tcpsim.tcp.TcpConfig;
import io.tcpsim.tcp.TcpConnection;
import io.tcpsim.tcp.TcpInfo;
import org.junit.jupiter.api.Test;

/**
 * Socket-buffer autotuning between two TCP layers on a virtual clock, RTT 20 ms, no loss: the
 * receive buffer and the window grow as the application reads (Linux tcp_rcv_space_adjust()),
 * the send buffer with the congestion window (tcp_sndbuf_expand()), and a bulk transfer ends
 * sooner in virtual time than with fixed 64 KiB buffers; SO_RCVBUF / SO_SNDBUF set or
 * tcp_moderate_rcvbuf 0 keep a buffer as it is.
 */
class AutotuningTest {
    private static final long MS = 1_000_000L;
    private static final int SIZE = 16 << 20;
    /** tcp_rmem[1] 131072 and tcp_wmem[1] 16384 as getsockopt(2) reports them: half of it data. */
    private static final int FIRST_RECEIVE_BUFFER = 65_536;
    private static final TcpConfig LINUX = TcpConfig.linuxDefaults(1500);

    /** An open connection's two ends and the virtual time a transfer took. */
    private record Transfer(TcpConnection client, TcpConnection server, long took) {
    }

    /**
     * Opens a connection, applies {@code setUp} to its ends, then moves {@link #SIZE} bytes
     * client to server, the server reading whatever has arrived after every event.
     */
    private static Transfer transfer(TcpConfig config, SetUp setUp) {
        ImpairedPair pair = new ImpairedPair(config, Impairment.clean(10 * MS), 7);
        TcpConnection[] c = pair.open();
        setUp.apply(c[0], c[1], pair.now());
        long start = pair.now();
        byte[] chunk = new byte[65_536];
        byte[] buf = new byte[65_536];
        long sent = 0;
        long received = 0;
        while (received < SIZE) {
            while (sent < SIZE) {
                int w = c[0].write(chunk, 0, (int) Math.min(chunk.length, SIZE - sent), pair.now());
                sent += w;
                if (w == 0) {
                    break;
                }
            }
            for (int n = c[1].read(buf, 0, buf.length, pair.now()); n > 0; n = c[1].read(buf, 0, buf.length, pair.now())) {
                received += n;
            }
            if (received < SIZE && !pair.step()) {
                fail("stalled at " + received + " of " + SIZE);
            }
            if (pair.now() - start > 60_000 * MS) {
                fail("took longer than 60 s: " + received + " of " + SIZE + " bytes");
            }
        }
        return new Transfer(c[0], c[1], pair.now() - start);
    }

    @FunctionalInterface
    private interface SetUp {
        void apply(TcpConnection client, TcpConnection server, long now);

        SetUp NONE = (client, server, now) -> { };
    }

    @Test
    void bulkTransferGrowsTheReceiveBufferAndWindowAndEndsSoonerThanWithFixedBuffers() {
        Transfer tuned = transfer(LINUX, SetUp.NONE);
        Transfer fixed = transfer(LINUX.withBuffers(FIRST_RECEIVE_BUFFER, FIRST_RECEIVE_BUFFER), SetUp.NONE);

        assertTrue(tuned.server.receiveBufferSize() > 4 * FIRST_RECEIVE_BUFFER,
                "receive buffer " + tuned.server.receiveBufferSize());
        assertTrue(tuned.client.maxSendWindow() > 4 * FIRST_RECEIVE_BUFFER,
                "largest window offered " + tuned.client.maxSendWindow());
        assertEquals(FIRST_RECEIVE_BUFFER, fixed.server.receiveBufferSize());
        assertTrue(fixed.client.maxSendWindow() <= FIRST_RECEIVE_BUFFER);
        // 64 KiB per 20 ms RTT is 3.2 MB/s: 16 MiB take over 5 s; growing buffers take a fraction.
        assertTrue(tuned.took * 3 < fixed.took, "tuned " + tuned.took / MS + " ms, fixed " + fixed.took / MS + " ms");
    }

    @Test
    void receiverRttAndSpaceAreInTcpInfoAfterABulkTransfer() {
        Transfer tuned = transfer(LINUX, SetUp.NONE);
        TcpInfo info = TcpInfo.of(tuned.server, 0);
        // The receiver's estimate from the TSecr: the 20 ms RTT, in whole milliseconds (TS ticks).
        assertTrue(info.rcvRtt() >= 19_000 && info.rcvRtt() <= 30_000, "tcpi_rcv_rtt " + info.rcvRtt());
        // tcp_init_buffer_space() starts at 10 * advmss (14480); the count follows what was read per RTT.
        assertTrue(info.rcvSpace() > 10 * 1448, "tcpi_rcv_space " + info.rcvSpace());
    }

    @Test
    void sendBufferGrowsWithTheCongestionWindowWhileTheWriterFillsIt() {
        Transfer tuned = transfer(LINUX, SetUp.NONE);
        // tcp_sndbuf_expand() at establishment: SO_SNDBUF 46080 for MSS 1460, half of it data.
        assertTrue(tuned.client.sendBufferSize() > 46_080 / 2 * 4, "send buffer " + tuned.client.sendBufferSize());
    }

    @Test
    void soRcvbufSetOnTheConnectionKeepsTheReceiveBuffer() {
        Transfer locked = transfer(LINUX, (client, server, now) -> server.setBuffers(131_072, 0, now));
        assertEquals(FIRST_RECEIVE_BUFFER, locked.server.receiveBufferSize());
        assertTrue(locked.client.maxSendWindow() <= FIRST_RECEIVE_BUFFER, "window " + locked.client.maxSendWindow());
    }

    @Test
    void soSndbufSetOnTheConnectionKeepsTheSendBuffer() {
        Transfer locked = transfer(LINUX, (client, server, now) -> client.setBuffers(0, 131_072, now));
        assertEquals(65_536, locked.client.sendBufferSize());
        assertTrue(locked.server.receiveBufferSize() > FIRST_RECEIVE_BUFFER, "the receive side still tunes");
    }

    @Test
    void moderateRcvbufOffKeepsTheReceiveBufferButNotTheSendBuffer() {
        Transfer off = transfer(LINUX.withModerateRcvbuf(false), SetUp.NONE);
        assertEquals(FIRST_RECEIVE_BUFFER, off.server.receiveBufferSize());
        assertTrue(off.client.maxSendWindow() <= FIRST_RECEIVE_BUFFER, "window " + off.client.maxSendWindow());
        assertTrue(off.client.sendBufferSize() > 46_080 / 2, "tcp_sndbuf_expand() does not depend on it");
    }
}
