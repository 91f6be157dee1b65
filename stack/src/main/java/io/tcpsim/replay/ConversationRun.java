package io.tcpsim.replay;

import io.tcpsim.pcap.Conversation;
import io.tcpsim.pcap.Endpoint;
import io.tcpsim.pcap.PassiveTracker;
import io.tcpsim.pcap.Segment;
import io.tcpsim.tcp.ConnectionListener;
import io.tcpsim.tcp.FourTuple;
import io.tcpsim.tcp.TcpConnection;
import io.tcpsim.wire.IpAddress;
import io.tcpsim.tcp.TcpException;
import io.tcpsim.tcp.TcpState;
import io.tcpsim.wire.TcpOption;
import io.tcpsim.wire.TcpOptions;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * One conversation during a replay: which side tcpsim plays, the bases of both sides' relative
 * numbers, the application's script and how far it got, tcpsim's connection once it exists, and
 * what was injected and sent.
 */
final class ConversationRun {
    private static final int READ_CHUNK = 65_536;
    private static final long NANOS_PER_MS = 1_000_000L;
    /** The window scale assumed for a peer whose SYN is not in the capture: Linux's usual 7. */
    static final int MID_STREAM_WSCALE = 7;

    /** A segment tcpsim sent. */
    record Emitted(long relNanos, TcpRepr segment, boolean synthetic, String stateAfter) {
    }

    /** A peer segment given to tcpsim. */
    record Injected(Segment captured, long relNanos, List<String> notes, String stateAfter) {
    }

    final Conversation conversation;
    final Role role;
    final boolean capturedIsClient;
    final Endpoint captured;
    final Endpoint peer;
    final int capturedBase;
    final int peerBase;
    final FourTuple tuple;
    final IpAddress peerAddr;
    final AppScript script;
    final boolean midStream;
    /** The capture time that is 0 on the replay's clock. */
    final long zeroEpochNanos;
    final List<Emitted> emitted = new ArrayList<>();
    final List<Injected> injected = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    /** The captured side's TSvals and when it first sent each, for rewriting the peer's TSecr. */
    private final Map<Integer, Long> capturedTsAt = new HashMap<>();
    boolean started;
    boolean synthesizing;
    int reachedFrame;
    TcpConnection conn;
    Integer tcpsimIss;
    private long tsAnchorNanos;
    private Integer tsAnchorVal;
    /** The newest TSval tcpsim has sent: a TSecr can echo nothing newer. */
    private int tsLastVal;
    private int nextAction;
    private byte[] pendingWrite;
    private int pendingOffset;
    private long received;

    ConversationRun(Conversation c, Role role, IpAddress tcpsimAddr, IpAddress peerAddr, long zeroEpochNanos) {
        this.conversation = c;
        this.role = role;
        this.capturedIsClient = role == Role.CLIENT;
        this.captured = capturedIsClient ? c.client() : c.server();
        this.peer = capturedIsClient ? c.server() : c.client();
        this.capturedBase = PassiveTracker.base(c, capturedIsClient);
        this.peerBase = PassiveTracker.base(c, !capturedIsClient);
        this.tuple = new FourTuple(tcpsimAddr, captured.port(), peerAddr, peer.port());
        this.peerAddr = peerAddr;
        this.script = AppScript.of(c, capturedIsClient, capturedBase, peerBase);
        this.midStream = !c.handshakeSeen();
        this.zeroEpochNanos = zeroEpochNanos;
        for (Segment s : c.segments()) {
            if (fromCaptured(s) && s.timestamps().isPresent()) {
                capturedTsAt.putIfAbsent(s.timestamps().get().tsVal(), s.epochNanos() - zeroEpochNanos);
            }
        }
    }

    boolean fromCaptured(Segment s) {
        return conversation.fromClient(s) == capturedIsClient;
    }

    /** Records a segment tcpsim sent on this conversation's 4-tuple. */
    void emitted(long now, TcpRepr segment, String state) {
        if (segment.hasFlags(TcpPacket.SYN) && tcpsimIss == null) {
            tcpsimIss = segment.seq();
        }
        if (tsAnchorVal == null && segment.timestamps().isPresent()) {
            tsAnchorVal = segment.timestamps().get().tsVal();
            tsAnchorNanos = now;
        }
        if (segment.timestamps().isPresent()) {
            tsLastVal = segment.timestamps().get().tsVal();
        }
        emitted.add(new Emitted(now, segment, synthesizing, state));
    }

    /**
     * What the captured TSecr {@code ecr} becomes on tcpsim's clock (1 ms ticks), never newer than
     * the last TSval tcpsim sent (tcpsim may have sent earlier than the capture; Linux
     * tcp_check_req() rejects a half-open ACK echoing a TSval it never sent); 0 when unknown.
     */
    int mapTsEcr(int ecr, long now) {
        if (ecr == 0 || tsAnchorVal == null) {
            return 0;
        }
        long at = Math.max(tsAnchorNanos, capturedTsAt.getOrDefault(ecr, now));
        int mapped = tsAnchorVal + (int) (at / NANOS_PER_MS - tsAnchorNanos / NANOS_PER_MS);
        return mapped - tsLastVal > 0 ? tsLastVal : mapped;
    }

    /** The application's events on tcpsim's connection: it reads everything as soon as it arrives. */
    ConnectionListener reader(LongSupplier now) {
        return new ConnectionListener() {
            @Override
            public void readable(TcpConnection c) {
                readAll(c, now.getAsLong());
            }
        };
    }

    /** Reads what tcpsim's connection holds, as the application does whenever data arrives. */
    void readAll(long now) {
        if (conn != null) {
            readAll(conn, now);
        }
    }

    private void readAll(TcpConnection c, long now) {
        byte[] buffer = new byte[READ_CHUNK];
        try {
            int n;
            while ((n = c.read(buffer, 0, buffer.length, now)) > 0) {
                received += n;
            }
        } catch (TcpException e) {
            notes.add("the application's read failed: " + e.getMessage());
        }
    }

    /** Bytes the application has read. */
    long received() {
        return received;
    }

    /** Runs the script's actions that are due and possible at {@code now}, in order. */
    void perform(long now, Connector connector) {
        readAll(now);
        while (nextAction < script.actions.size()) {
            AppScript.Action a = script.actions.get(nextAction);
            if (a.frame() > reachedFrame || !ready(a)) {
                return;
            }
            if (!run(a, now, connector)) {
                return;
            }
            nextAction++;
        }
    }

    /** Opens tcpsim's connection for a client-side replay. */
    interface Connector {
        TcpConnection connect(ConversationRun run, long now);
    }

    private boolean ready(AppScript.Action a) {
        if (a instanceof AppScript.Connect) {
            return true;
        } else if (conn == null) {
            return false;
        }
        TcpState s = conn.state();
        boolean open = s != TcpState.SYN_SENT && s != TcpState.SYN_RECEIVED;
        long rcvNxt = Integer.toUnsignedLong(conn.rcvNxt() - peerBase);
        return a instanceof AppScript.Close close && close.kind() == AppScript.CloseKind.ABORT
                || open && rcvNxt >= a.needReceived();
    }

    /** True when the action is done (or failed and was given up); false while a write waits for room. */
    private boolean run(AppScript.Action a, long now, Connector connector) {
        try {
            switch (a) {
                case AppScript.Connect c -> conn = connector.connect(this, now);
                case AppScript.Write w -> {
                    return write(w, now);
                }
                case AppScript.Close c -> close(c, now);
            }
        } catch (TcpException | IllegalArgumentException e) {
            notes.add("frame " + a.frame() + ": the application's " + describe(a) + " failed: " + e.getMessage());
        }
        return true;
    }

    private boolean write(AppScript.Write w, long now) {
        if (pendingWrite == null) {
            pendingWrite = w.bytes();
            pendingOffset = 0;
        }
        int n = conn.write(pendingWrite, pendingOffset, pendingWrite.length - pendingOffset, now);
        pendingOffset += n;
        if (pendingOffset < pendingWrite.length) {
            return false;
        }
        pendingWrite = null;
        return true;
    }

    private void close(AppScript.Close c, long now) {
        switch (c.kind()) {
            case CLOSE -> conn.close(now);
            case SHUTDOWN -> conn.shutdownOutput(now);
            case ABORT -> conn.abort(now);
        }
    }

    /** The actions never performed, in words, for the report. */
    List<String> unperformed() {
        List<String> left = new ArrayList<>();
        for (int i = nextAction; i < script.actions.size(); i++) {
            AppScript.Action a = script.actions.get(i);
            String why = conn == null ? "tcpsim had no connection"
                    : "tcpsim had received " + Integer.toUnsignedLong(conn.rcvNxt() - peerBase) + " of the "
                            + a.needReceived() + " (relative) the captured side had";
            left.add("frame " + a.frame() + ": the application's " + describe(a) + " never happened: " + why);
        }
        return left;
    }

    private static String describe(AppScript.Action a) {
        return switch (a) {
            case AppScript.Connect c -> "connect";
            case AppScript.Write w -> "write of " + w.bytes().length + " bytes";
            case AppScript.Close c -> c.kind().name().toLowerCase(Locale.ROOT);
        };
    }

    /** The options a made-up handshake segment of the peer carries, like the peer's later segments suggest. */
    List<TcpOption> peerSynOptions(int mss, boolean synAck) {
        List<TcpOption> options = new ArrayList<>();
        options.add(new TcpOption.MaxSegmentSize(mss));
        peerTimestamps(synAck).ifPresent(options::add);
        options.add(new TcpOption.WindowScale(MID_STREAM_WSCALE));
        return TcpOptions.alignLinuxStyle(options);
    }

    /**
     * A timestamps option for a made-up peer segment when the peer's captured segments carry
     * timestamps: the first captured TSval, echoing tcpsim's first TSval when {@code echo}.
     */
    Optional<TcpOption.Timestamps> peerTimestamps(boolean echo) {
        return conversation.segments().stream().filter(s -> !fromCaptured(s)).findFirst()
                .flatMap(Segment::timestamps)
                .map(ts -> new TcpOption.Timestamps(ts.tsVal(), echo && tsAnchorVal != null ? tsAnchorVal : 0));
    }
}
