package io.tcpsim.replay;

import io.tcpsim.pcap.Conversation;
import io.tcpsim.pcap.Segment;
import io.tcpsim.wire.Seq;
import io.tcpsim.wire.TcpPacket;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The application's part in one conversation, read from what the captured side sent: connect
 * when it sent its SYN; write the bytes it sent once it had received what its acknowledgment
 * number says; close when it sent its FIN (shutdown instead when the peer's new data still came
 * afterwards: a half-close); abort when it reset an open connection. Bytes the capture lost are
 * written as zeros, so sequence numbers stay aligned.
 *
 * <p>When the application wrote is inferred from how the data left: a run of segments sent while
 * earlier ones were still unacknowledged, with nothing received in between, was queued at once,
 * so its writes are all made at the run's first segment (split where PSH marks the end of a
 * write, as Linux sets it); a FIN riding on the run's data means the application closed while
 * that data still waited, so the close follows those writes. A segment sent with nothing in
 * flight starts a new run.
 */
final class AppScript {

    /** One call of the application, due at the captured time once tcpsim has received enough. */
    sealed interface Action {
        /** The captured frame it comes from. */
        int frame();

        /** When the captured side acted, capture time in nanoseconds since the epoch. */
        long dueEpochNanos();

        /** How far tcpsim must have received (relative RCV.NXT) before the call is made. */
        long needReceived();
    }

    record Connect(int frame, long dueEpochNanos) implements Action {
        public long needReceived() {
            return 0;
        }
    }

    record Write(int frame, long dueEpochNanos, long needReceived, byte[] bytes) implements Action {
    }

    /** How the captured side ended its part. */
    enum CloseKind { CLOSE, SHUTDOWN, ABORT }

    record Close(int frame, long dueEpochNanos, long needReceived, CloseKind kind) implements Action {
    }

    /** The most bytes a capture may have lost between two segments before a segment is taken as foreign. */
    static final long MAX_GAP = 1 << 20;

    final List<Action> actions;
    /** tcpsim plays a server that accepts connections (false: the captured server refused or never answered). */
    final boolean listens;

    private AppScript(List<Action> actions, boolean listens) {
        this.actions = List.copyOf(actions);
        this.listens = listens;
    }

    /**
     * The script of the captured side of {@code c}.
     *
     * @param capturedIsClient the captured side is the conversation's client
     * @param capturedBase     the captured side's relative-number base (its ISN)
     * @param peerBase         the peer's base
     */
    static AppScript of(Conversation c, boolean capturedIsClient, int capturedBase, int peerBase) {
        Builder b = new Builder(c, capturedIsClient, capturedBase, peerBase);
        for (Segment s : c.segments()) {
            if (c.fromClient(s) == capturedIsClient) {
                b.take(s);
            } else {
                b.peerSent(s);
            }
        }
        b.endWrite();
        b.moreBehindZeroWindow();
        boolean refused = !capturedIsClient && firstAnswerIsReset(c);
        boolean silent = !capturedIsClient && c.segments().stream().allMatch(c::fromClient);
        return new AppScript(b.actions, !capturedIsClient && !refused && !silent);
    }

    private static boolean firstAnswerIsReset(Conversation c) {
        return c.segments().stream().filter(s -> !c.fromClient(s)).findFirst()
                .map(s -> s.has(TcpPacket.RST)).orElse(false);
    }

    private static final class Builder {
        final Conversation c;
        final boolean capturedIsClient;
        final int capturedBase;
        final int peerBase;
        final List<Action> actions = new ArrayList<>();
        long scriptedEnd = 1;
        /** The highest acknowledgment of the captured side's data the peer sent so far (relative). */
        long peerAcked;
        boolean finScripted;
        boolean connected;
        ByteArrayOutputStream write;
        /** The first segment of the current run: its time, frame and acknowledgment are the writes'. */
        Segment runStart;

        Builder(Conversation c, boolean capturedIsClient, int capturedBase, int peerBase) {
            this.c = c;
            this.capturedIsClient = capturedIsClient;
            this.capturedBase = capturedBase;
            this.peerBase = peerBase;
        }

        void take(Segment s) {
            if (s.has(TcpPacket.SYN) && !s.has(TcpPacket.ACK) && !connected) {
                actions.add(new Connect(s.frame(), s.epochNanos()));
                connected = true;
            }
            if (s.has(TcpPacket.RST)) {
                takeReset(s);
                return;
            }
            if (s.payloadLength() > 0) {
                takeData(s);
            }
            if (s.has(TcpPacket.FIN) && !finScripted) {
                Segment closedAt = s.payloadLength() > 0 && runStart != null ? runStart : s;
                endWrite();
                finScripted = true;
                CloseKind kind = peerSendsDataAfter(s) ? CloseKind.SHUTDOWN : CloseKind.CLOSE;
                actions.add(new Close(closedAt.frame(), closedAt.epochNanos(), received(closedAt), kind));
            }
        }

        void peerSent(Segment s) {
            if (s.has(TcpPacket.ACK) && !s.has(TcpPacket.RST)) {
                long acked = Integer.toUnsignedLong(s.ack() - capturedBase);
                if (acked < (1L << 31)) {
                    peerAcked = Math.max(peerAcked, acked);
                }
            }
        }

        /** A RST on an open connection that the captured side had not closed: the application aborted. */
        private void takeReset(Segment s) {
            boolean open = connected || capturedSentSynAck() || !c.handshakeSeen();
            boolean aborted = actions.stream().anyMatch(a -> a instanceof Close close && close.kind() == CloseKind.ABORT);
            if (open && !finScripted && !aborted) {
                endWrite();
                actions.add(new Close(s.frame(), s.epochNanos(), 0, CloseKind.ABORT));
                finScripted = true;
            }
        }

        private boolean capturedSentSynAck() {
            return c.segments().stream().anyMatch(s -> c.fromClient(s) == capturedIsClient
                    && s.has(TcpPacket.SYN) && s.has(TcpPacket.ACK));
        }

        private void takeData(Segment s) {
            long start = Integer.toUnsignedLong(s.seq() - capturedBase) + (s.has(TcpPacket.SYN) ? 1 : 0);
            long end = start + s.payloadLength();
            if (end <= scriptedEnd || start - scriptedEnd > MAX_GAP) {
                return; // a retransmission (the bytes are written), or too far ahead to belong to this stream
            }
            boolean inFlight = peerAcked < scriptedEnd;
            boolean sameRun = runStart != null && inFlight && s.has(TcpPacket.ACK) && s.ack() == runStart.ack();
            if (!sameRun) {
                endWrite();
                runStart = s;
            }
            if (write == null) {
                write = new ByteArrayOutputStream();
            }
            long from = Math.max(start, scriptedEnd);
            write.write(new byte[(int) (from - scriptedEnd)], 0, (int) (from - scriptedEnd));
            byte[] payload = padded(s);
            write.write(payload, (int) (from - start), (int) (end - from));
            scriptedEnd = end;
            if (s.has(TcpPacket.PSH)) {
                endWrite();
            }
        }

        /** Ends the current write (the run goes on: a PSH ends a write, not a run). */
        void endWrite() {
            if (write != null) {
                actions.add(new Write(runStart.frame(), runStart.epochNanos(), received(runStart),
                        write.toByteArray()));
                write = null;
            }
        }

        /**
         * A captured side that probes a zero window had more to send than the capture shows
         * (probes are only sent with data waiting): one byte is written once the zero window has
         * arrived, so that tcpsim has data waiting too and its persist timer runs.
         */
        void moreBehindZeroWindow() {
            Segment lastZeroWindow = null;
            for (Segment s : c.segments()) {
                boolean fromPeer = c.fromClient(s) != capturedIsClient;
                if (fromPeer && s.window() == 0 && !s.has(TcpPacket.RST)) {
                    lastZeroWindow = s;
                } else if (fromPeer) {
                    lastZeroWindow = null;
                } else if (lastZeroWindow != null && s.payloadLength() == 0 && s.seq() == lastZeroWindow.ack() - 1
                        && !s.has(TcpPacket.SYN) && !s.has(TcpPacket.FIN) && !s.has(TcpPacket.RST)) {
                    if (!newDataAfter(s)) {
                        actions.add(new Write(lastZeroWindow.frame(), lastZeroWindow.epochNanos(), 0, new byte[1]));
                        actions.sort(Comparator.comparingInt(Action::frame));
                    }
                    return;
                }
            }
        }

        /** The captured side sends new data after {@code probe}: what waited is in the capture. */
        private boolean newDataAfter(Segment probe) {
            return c.segments().stream().anyMatch(s -> c.fromClient(s) == capturedIsClient
                    && s.frame() > probe.frame() && s.payloadLength() > 0 && Seq.gt(s.seq() + s.payloadLength(),
                    probe.seq() + 1));
        }

        private long received(Segment s) {
            return s.has(TcpPacket.ACK) ? Integer.toUnsignedLong(s.ack() - peerBase) : 0;
        }

        /**
         * New data of the peer came after the captured side's FIN and was not answered by a RST: a
         * half-close. Only bytes beyond what the FIN acknowledged count: a retransmission of data
         * the captured side already had says nothing about whether it could still read.
         */
        private boolean peerSendsDataAfter(Segment fin) {
            boolean peerData = c.segments().stream().anyMatch(s -> c.fromClient(s) != capturedIsClient
                    && s.frame() > fin.frame() && s.payloadLength() > 0 && !s.has(TcpPacket.RST)
                    && (!fin.has(TcpPacket.ACK) || Seq.gt(s.seq() + s.payloadLength(), fin.ack())));
            boolean capturedReset = c.segments().stream().anyMatch(s -> c.fromClient(s) == capturedIsClient
                    && s.frame() > fin.frame() && s.has(TcpPacket.RST));
            return peerData && !capturedReset;
        }

        private static byte[] padded(Segment s) {
            byte[] bytes = new byte[s.payloadLength()];
            System.arraycopy(s.payload(), 0, bytes, 0, Math.min(s.payload().length, bytes.length));
            return bytes;
        }
    }
}
