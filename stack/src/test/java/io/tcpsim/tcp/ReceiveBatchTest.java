package io.tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tcpsim.testsupport.RawPacket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Segments that come off the link in one poll are one receive batch: their in-order data is
 * acknowledged once per connection, at the batch's end, as Linux acknowledges a GRO packet;
 * out-of-order data is still acknowledged segment by segment (RFC 5681 §4.2).
 */
class ReceiveBatchTest {
    private static final int MSS = 1460;

    private final LiveStack live = new LiveStack();
    private final TcpConnection c = live.establish();

    @AfterEach
    void close() {
        live.close();
    }

    @Test
    void inOrderSegmentsOfOneBatchInQuickAckModeAreAcknowledgedOnceAtItsEnd() {
        List<byte[]> acks = live.inputTogether(segments(c.rcvNxt(), 4));

        assertEquals(1, acks.size(), "one ACK for the batch");
        assertEquals(c.rcvNxt(), RawPacket.get32(acks.getFirst(), 28), "it acknowledges all four");
        assertEquals(4 * MSS, c.readable());
    }

    @Test
    void inOrderSegmentsPolledOneByOneInQuickAckModeAreEachAcknowledged() {
        int acks = 0;
        for (byte[] segment : segments(c.rcvNxt(), 4)) {
            acks += live.input(segment).size();
        }

        assertEquals(4, acks);
    }

    @Test
    void outOfOrderSegmentsOfOneBatchAreEachAcknowledgedAtOnce() {
        int hole = c.rcvNxt();
        List<byte[]> acks = live.inputTogether(segments(hole + MSS, 3));

        assertEquals(3, acks.size(), "a duplicate ACK per out-of-order segment");
        for (byte[] ack : acks) {
            assertEquals(hole, RawPacket.get32(ack, 28));
        }
    }

    private List<byte[]> segments(int seq, int count) {
        List<byte[]> segments = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            segments.add(LiveStack.next(c).seq(seq + i * MSS).window(65_535).payload(new byte[MSS]).bytes());
        }
        return segments;
    }
}
