package io.tcpsim.pcap;

import io.tcpsim.wire.Seq;
import io.tcpsim.wire.TcpPacket;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows both sides of a conversation from the segments alone, the way a passive observer
 * (conntrack, Wireshark's TCP analysis) does. Each segment is taken as sent by its source and, at
 * the same instant, received by its destination, with the RFC 9293 §3.10.7 transitions:
 * <ul>
 *   <li>sending a SYN: SYN_SENT; a SYN-ACK: SYN_RECEIVED; a FIN: ESTABLISHED to FIN_WAIT_1,
 *       CLOSE_WAIT to LAST_ACK; a RST: CLOSED;</li>
 *   <li>receiving a SYN while closed: LISTEN (whether it becomes SYN_RECEIVED or refuses with a
 *       RST shows in its answer); an ACK of its SYN: ESTABLISHED; an ACK of its FIN:
 *       FIN_WAIT_1 to FIN_WAIT_2, CLOSING to TIME_WAIT, LAST_ACK to CLOSED; a FIN (after the ACK
 *       in it is taken): ESTABLISHED to CLOSE_WAIT, FIN_WAIT_1 to CLOSING, FIN_WAIT_2 to
 *       TIME_WAIT; a RST: CLOSED.</li>
 * </ul>
 * A conversation that starts without a SYN starts with both sides ESTABLISHED. Relative sequence
 * numbers count from each side's SYN (ISN = 0), or from its first sequence number minus one.
 * The notes name what Wireshark would: retransmissions, segments missing from the capture, zero
 * windows, window probes, keep-alives, duplicate ACKs and window updates, and the frame's own
 * problems (cut short, bad checksums).
 */
public final class PassiveTracker {
    private final Conversation conversation;
    private final Side client;
    private final Side server;
    private boolean started;

    /**
     * The inferred picture after one segment.
     *
     * @param relSeq  sequence number relative to the sender's base
     * @param relAck  acknowledgment number relative to the receiver's base (0 without ACK)
     * @param notes   annotations, possibly none
     */
    public record Observation(Segment segment, boolean fromClient, SideState client, SideState server,
                              boolean clientChanged, boolean serverChanged, long relSeq, long relAck,
                              List<String> notes) {
        public Observation {
            notes = List.copyOf(notes);
        }
    }

    public PassiveTracker(Conversation conversation) {
        this.conversation = conversation;
        this.client = new Side(base(conversation, true));
        this.server = new Side(base(conversation, false));
    }

    /** Every segment's observation, in order. */
    public static List<Observation> track(Conversation conversation) {
        PassiveTracker tracker = new PassiveTracker(conversation);
        List<Observation> result = new ArrayList<>();
        for (Segment s : conversation.segments()) {
            result.add(tracker.observe(s));
        }
        return result;
    }

    /**
     * The base of a side's relative numbers: its SYN's sequence number; else its first sequence
     * number minus one; a side that only ever sent RSTs counts from 0.
     */
    public static int base(Conversation c, boolean clientSide) {
        Segment firstOwn = null;
        for (Segment s : c.segments()) {
            if (c.fromClient(s) == clientSide) {
                if (s.has(TcpPacket.SYN)) {
                    return s.seq();
                } else if (firstOwn == null) {
                    firstOwn = s;
                }
            }
        }
        boolean onlyResets = c.segments().stream().filter(s -> c.fromClient(s) == clientSide)
                .allMatch(s -> s.has(TcpPacket.RST));
        return firstOwn == null || onlyResets ? 0 : firstOwn.seq() - 1;
    }

    /** Takes the next segment of the conversation. */
    public Observation observe(Segment s) {
        boolean fromClient = conversation.fromClient(s);
        Side sender = fromClient ? client : server;
        Side receiver = fromClient ? server : client;
        SideState clientBefore = client.state;
        SideState serverBefore = server.state;
        if (!started && !s.has(TcpPacket.SYN)) {
            client.state = SideState.ESTABLISHED;
            server.state = SideState.ESTABLISHED;
        }
        started = true;
        List<String> notes = notes(s, sender, receiver);
        send(sender, s);
        receive(receiver, s);
        sender.remember(s);
        long relAck = s.has(TcpPacket.ACK) ? Integer.toUnsignedLong(s.ack() - receiver.base) : 0;
        return new Observation(s, fromClient, client.state, server.state, client.state != clientBefore,
                server.state != serverBefore, Integer.toUnsignedLong(s.seq() - sender.base), relAck, notes);
    }

    private static void send(Side side, Segment s) {
        if (s.has(TcpPacket.RST)) {
            side.state = SideState.CLOSED;
            return;
        }
        if (s.has(TcpPacket.SYN)) {
            side.state = s.has(TcpPacket.ACK) ? SideState.SYN_RECEIVED : SideState.SYN_SENT;
            side.iss = s.seq();
            side.synSent = true;
        }
        if (s.has(TcpPacket.FIN)) {
            side.finSeq = s.seq() + s.payloadLength() + (s.has(TcpPacket.SYN) ? 1 : 0);
            side.finSent = true;
            side.state = switch (side.state) {
                case ESTABLISHED, SYN_RECEIVED -> SideState.FIN_WAIT_1;
                case CLOSE_WAIT -> SideState.LAST_ACK;
                default -> side.state;
            };
        }
    }

    private static void receive(Side side, Segment s) {
        if (s.has(TcpPacket.RST)) {
            side.state = side.state == SideState.LISTEN ? SideState.LISTEN : SideState.CLOSED;
            return;
        }
        if (s.has(TcpPacket.SYN) && !s.has(TcpPacket.ACK)
                && (side.state == SideState.CLOSED || side.state == SideState.TIME_WAIT)) {
            side.state = SideState.LISTEN;
        }
        if (s.has(TcpPacket.ACK)) {
            acknowledged(side, s);
        }
        if (s.has(TcpPacket.FIN)) {
            side.state = switch (side.state) {
                case ESTABLISHED, SYN_RECEIVED -> SideState.CLOSE_WAIT;
                case FIN_WAIT_1 -> SideState.CLOSING;
                case FIN_WAIT_2 -> SideState.TIME_WAIT;
                default -> side.state;
            };
        }
    }

    private static void acknowledged(Side side, Segment s) {
        boolean acksSyn = side.synSent && s.ack() == side.iss + 1;
        if (acksSyn && (side.state == SideState.SYN_SENT && s.has(TcpPacket.SYN)
                || side.state == SideState.SYN_RECEIVED)) {
            side.state = SideState.ESTABLISHED;
        }
        if (side.finSent && s.ack() == side.finSeq + 1) {
            side.state = switch (side.state) {
                case FIN_WAIT_1 -> SideState.FIN_WAIT_2;
                case CLOSING -> SideState.TIME_WAIT;
                case LAST_ACK -> SideState.CLOSED;
                default -> side.state;
            };
        }
    }

    private static List<String> notes(Segment s, Side sender, Side receiver) {
        List<String> notes = new ArrayList<>();
        boolean control = s.has(TcpPacket.SYN) || s.has(TcpPacket.FIN) || s.has(TcpPacket.RST);
        if (sender.seen && !s.has(TcpPacket.RST)) {
            int end = s.seq() + s.segLen();
            if (s.segLen() > 0 && Seq.le(end, sender.nxt)) {
                notes.add("retransmission");
            } else if (s.segLen() > 0 && Seq.lt(s.seq(), sender.nxt)) {
                notes.add("partly retransmitted");
            } else if (Seq.gt(s.seq(), sender.nxt)) {
                notes.add("previous segment not captured");
            }
            boolean probeSeq = receiver.ackSeen && s.seq() == receiver.lastAck - 1;
            if (!control && probeSeq && s.payloadLength() <= 1) {
                notes.add(receiver.lastWindow == 0 ? "zero window probe" : "keep-alive");
            } else if (!control && s.payloadLength() == 1 && s.seq() == sender.nxt && receiver.windowSeen
                    && receiver.lastWindow == 0) {
                notes.add("zero window probe");
            }
        }
        if (s.window() == 0 && !s.has(TcpPacket.RST)) {
            notes.add("zero window");
        }
        if (s.pureAck() && sender.ackSeen && s.ack() == sender.lastAck && s.seq() == sender.lastSeq) {
            if (s.window() != sender.lastWindow) {
                notes.add("window update");
            } else if (receiver.seen && Seq.gt(receiver.nxt, s.ack())) {
                notes.add("duplicate ACK");
            }
        }
        notes.addAll(s.problems());
        return notes;
    }

    /** What the tracker knows about one side. */
    private static final class Side {
        final int base;
        SideState state = SideState.CLOSED;
        int iss;
        boolean synSent;
        int finSeq;
        boolean finSent;
        boolean seen;
        int nxt;
        int lastSeq;
        boolean ackSeen;
        int lastAck;
        boolean windowSeen;
        int lastWindow;

        Side(int base) {
            this.base = base;
        }

        void remember(Segment s) {
            int end = s.seq() + s.segLen();
            if (!s.has(TcpPacket.RST) && (!seen || Seq.gt(end, nxt))) {
                nxt = end;
            }
            seen = true;
            lastSeq = s.seq();
            if (s.has(TcpPacket.ACK)) {
                ackSeen = true;
                lastAck = s.ack();
            }
            if (!s.has(TcpPacket.RST)) {
                windowSeen = true;
                lastWindow = s.window();
            }
        }
    }
}
