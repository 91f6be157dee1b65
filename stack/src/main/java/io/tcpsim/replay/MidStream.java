package io.tcpsim.replay;

import io.tcpsim.pcap.Segment;
import io.tcpsim.tcp.TcpException;
import io.tcpsim.wire.TcpOption;
import io.tcpsim.wire.TcpOptions;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;
import java.io.IOException;
import java.util.List;

/**
 * The handshake a capture that starts mid-stream lacks, made up before its first packet so that
 * tcpsim has a connection to continue: as a server, the peer's SYN (and its ACK of tcpsim's
 * SYN-ACK); as a client, tcpsim's connect and the peer's SYN-ACK. The made-up segments start the
 * peer's numbers just before its first captured byte, offer the MSS tcpsim itself announces,
 * timestamps when the peer's segments carry them, and window scale 7 (Linux's usual shift; the
 * real one is not in the capture). Nothing of this is compared: the rows are SYNTHETIC.
 */
final class MidStream {
    private static final int SYN_WINDOW = 65_535;

    private MidStream() {
    }

    static void synthesize(Replayer replayer, ConversationRun r) throws IOException {
        int mss = replayer.mss();
        r.synthesizing = true;
        try {
            if (r.capturedIsClient) {
                asClient(replayer, r, mss);
            } else {
                asServer(replayer, r, mss);
            }
        } catch (TcpException | IllegalArgumentException e) {
            r.notes.add("the handshake of this mid-stream capture could not be made up: " + e.getMessage());
            return;
        } finally {
            r.synthesizing = false;
        }
        r.notes.add("the capture starts mid-stream: the replay made up the handshake first (not compared), "
                + "assuming window scale " + ConversationRun.MID_STREAM_WSCALE + " for the peer; data the captured "
                + "side had sent before the capture began is not in tcpsim's send queue");
    }

    private static void asServer(Replayer replayer, ConversationRun r, int mss) throws IOException {
        TcpRepr syn = new TcpRepr(r.peer.port(), r.captured.port(), r.peerBase, 0, TcpPacket.SYN, SYN_WINDOW, 0,
                r.peerSynOptions(mss, false), TcpRepr.NO_PAYLOAD);
        replayer.injectSynthetic(r, syn);
        if (r.tcpsimIss == null || capturedSynAckPresent(r)) {
            return;
        }
        TcpRepr ack = new TcpRepr(r.peer.port(), r.captured.port(), r.peerBase + 1, r.tcpsimIss + 1, TcpPacket.ACK,
                peerWindow(r), 0, timestampsOnly(r), TcpRepr.NO_PAYLOAD);
        replayer.injectSynthetic(r, ack);
    }

    private static void asClient(Replayer replayer, ConversationRun r, int mss) throws IOException {
        r.conn = replayer.connect(r, replayer.now());
        if (r.tcpsimIss == null || capturedSynAckPresent(r)) {
            return;
        }
        TcpRepr synAck = new TcpRepr(r.peer.port(), r.captured.port(), r.peerBase, r.tcpsimIss + 1,
                TcpPacket.SYN | TcpPacket.ACK, SYN_WINDOW, 0, r.peerSynOptions(mss, true), TcpRepr.NO_PAYLOAD);
        replayer.injectSynthetic(r, synAck);
    }

    private static boolean capturedSynAckPresent(ConversationRun r) {
        return r.conversation.segments().stream().anyMatch(s -> s.has(TcpPacket.SYN) && s.has(TcpPacket.ACK));
    }

    /** The largest window the peer advertised in the capture, or 65535 when it only ever advertised 0. */
    private static int peerWindow(ConversationRun r) {
        int largest = r.conversation.segments().stream().filter(s -> !r.fromCaptured(s))
                .mapToInt(Segment::window).max().orElse(0);
        return largest == 0 ? SYN_WINDOW : largest;
    }

    private static List<TcpOption> timestampsOnly(ConversationRun r) {
        return r.peerTimestamps(true).map(ts -> TcpOptions.alignLinuxStyle(List.<TcpOption>of(ts))).orElse(List.of());
    }
}
