package io.tcpsim.replay;

import io.tcpsim.NetStack;
import io.tcpsim.StackConfig;
import io.tcpsim.link.LinkDevice;
import io.tcpsim.link.PcapTap;
import io.tcpsim.link.QueueLink;
import io.tcpsim.pcap.CaptureSummary;
import io.tcpsim.pcap.Conversation;
import io.tcpsim.pcap.Segment;
import io.tcpsim.tcp.FourTuple;
import io.tcpsim.tcp.IsnGenerator;
import io.tcpsim.tcp.Profile;
import io.tcpsim.tcp.SocketOptions;
import io.tcpsim.tcp.TcpConnection;
import io.tcpsim.tcp.TcpListener;
import io.tcpsim.time.VirtualClock;
import io.tcpsim.wire.IpAddress;
import io.tcpsim.wire.Ipv4Address;
import io.tcpsim.wire.Ipv4Packet;
import io.tcpsim.wire.Ipv6Packet;
import io.tcpsim.wire.MalformedPacketException;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays captured conversations through one tcpsim stack on a {@link QueueLink} and a
 * {@link VirtualClock} that follows the capture's timestamps: tcpsim takes the captured side's
 * place in each conversation, the peer's segments are injected at their captured times
 * ({@link Rewriter}), the application's calls are made from the capture ({@link AppScript}), and
 * everything tcpsim sends is kept for {@link Verdicts} to compare with what the captured side sent.
 * Each conversation keeps its family: over IPv4 tcpsim's address is 10.0.0.2 and each distinct
 * peer address becomes 10.0.1.N; over IPv6 tcpsim is fd00::2 and the peers fd00:1::N (the one
 * stack has both addresses); ports stay as captured. The ISN key is fixed, so a replay is
 * deterministic.
 */
public final class Replayer {
    static final int TCPSIM_ADDR = Ipv4Address.parse("10.0.0.2");
    static final IpAddress TCPSIM_ADDR6 = IpAddress.parse("fd00::2");
    private static final int PEER_NET = Ipv4Address.parse("10.0.1.0");
    private static final IpAddress PEER_NET6 = IpAddress.parse("fd00:1::");
    /** How long tcpsim runs on after the capture's last packet, to show what it would still send. */
    static final long TAIL_NANOS = 1_000_000_000L;
    private static final int MAX_TIMER_STEPS = 200_000;
    private static final int BACKLOG = 128;
    private static final int MIN_GUESSED_MSS = 536;

    private final ReplayOptions options;
    private final ReplaySettings settings;
    private final long zero;
    private final VirtualClock clock;
    private final QueueLink queue;
    private final NetStack stack;
    private final List<ConversationRun> runs = new ArrayList<>();
    private final Map<FourTuple, List<ConversationRun>> byTuple = new HashMap<>();
    private final Map<Listening, TcpListener> listeners = new HashMap<>();
    private final List<String> notes = new ArrayList<>();
    private long now;
    private int timerSteps;

    private Replayer(CaptureSummary capture, List<Conversation> conversations, ReplayOptions options)
            throws IOException {
        this.options = options;
        this.zero = conversations.stream().mapToLong(Conversation::startNanos).min().orElse(0);
        Map<String, IpAddress> peers = new LinkedHashMap<>();
        for (Conversation c : conversations) {
            Role role = options.role().orElse(defaultRole(c));
            String peerAddress = (role == Role.CLIENT ? c.server() : c.client()).address();
            boolean ipv6 = isIpv6(c);
            IpAddress peerAddr = peers.computeIfAbsent(peerAddress, a -> peerAddress(ipv6, peers));
            IpAddress tcpsimAddr = ipv6 ? TCPSIM_ADDR6 : IpAddress.ofIpv4(TCPSIM_ADDR);
            ConversationRun run = new ConversationRun(c, role, tcpsimAddr, peerAddr, zero);
            runs.add(run);
            byTuple.computeIfAbsent(run.tuple, t -> new ArrayList<>()).add(run);
        }
        this.settings = settings(options.profile(), runs);
        this.clock = new VirtualClock(zero);
        this.queue = new QueueLink(settings.mtu());
        LinkDevice link = options.pcap().isPresent() ? PcapTap.open(queue, clock, options.pcap().get()) : queue;
        this.stack = new NetStack(link, new StackConfig(TCPSIM_ADDR, settings.tcp(), new IsnGenerator(new byte[16]))
                .withAddress6(TCPSIM_ADDR6));
        notes.addAll(capture.capture().problems());
    }

    /** Where a listener is: tcpsim's address of the conversation's family, and the captured server's port. */
    private record Listening(IpAddress addr, int port) {
    }

    /** The conversation was captured over IPv6. */
    static boolean isIpv6(Conversation c) {
        return c.segments().getFirst().ipv6();
    }

    /** The next peer address of the family: 10.0.1.N or fd00:1::N, N counting the peers of that family. */
    private static IpAddress peerAddress(boolean ipv6, Map<String, IpAddress> peers) {
        int n = (int) peers.values().stream().filter(a -> a.isIpv4() != ipv6).count() + 1;
        return ipv6 ? new IpAddress(PEER_NET6.high(), PEER_NET6.low() + n) : IpAddress.ofIpv4(PEER_NET + n);
    }

    /**
     * Replays {@code conversations} of {@code capture} (all at once, on one stack, in capture
     * order) and compares what tcpsim sent with what the captured side sent.
     */
    public static ReplayResult replay(CaptureSummary capture, List<Conversation> conversations, ReplayOptions options)
            throws IOException {
        if (conversations.isEmpty()) {
            throw new IllegalArgumentException("no TCP conversation to replay in " + capture.capture().file());
        }
        Replayer replayer = new Replayer(capture, conversations, options);
        try (NetStack stack = replayer.stack) {
            replayer.run();
        }
        List<ConversationResult> results = new ArrayList<>();
        for (ConversationRun run : replayer.runs) {
            results.add(Verdicts.of(run, options.compareWindow(), replayer.lastEventNanos()));
        }
        return new ReplayResult(capture.capture().file(), options.profile(), replayer.settings,
                options.compareWindow(), replayer.notes, results);
    }

    /** The server, unless the server sent nothing at all in the conversation (an unanswered connect). */
    static Role defaultRole(Conversation c) {
        boolean serverSpoke = c.segments().stream().anyMatch(s -> !c.fromClient(s));
        return serverSpoke ? Role.SERVER : Role.CLIENT;
    }

    private static ReplaySettings settings(Profile profile, List<ConversationRun> runs) {
        int largest = MIN_GUESSED_MSS;
        for (ConversationRun run : runs) {
            Segment capturedSyn = run.conversation.segments().stream()
                    .filter(s -> run.fromCaptured(s) && s.has(TcpPacket.SYN)).findFirst().orElse(null);
            if (capturedSyn != null) {
                Segment peerSyn = run.conversation.segments().stream()
                        .filter(s -> !run.fromCaptured(s) && s.has(TcpPacket.SYN)).findFirst().orElse(null);
                return ReplaySettings.from(profile, capturedSyn, peerSyn, 0, false);
            }
            for (Segment s : run.conversation.segments()) {
                largest = Math.max(largest, s.payloadLength() + (s.timestamps().isPresent() ? 12 : 0));
            }
        }
        boolean allIpv6 = runs.stream().allMatch(r -> isIpv6(r.conversation));
        return ReplaySettings.from(profile, null, null, largest, allIpv6);
    }

    private long lastEventNanos() {
        return runs.stream().mapToLong(r -> r.conversation.segments().getLast().epochNanos()).max().orElse(zero) - zero;
    }

    private record Event(Segment segment, ConversationRun run) {
    }

    private void run() throws IOException {
        List<Event> events = new ArrayList<>();
        for (ConversationRun r : runs) {
            r.conversation.segments().forEach(s -> events.add(new Event(s, r)));
        }
        events.sort(Comparator.comparingLong((Event e) -> e.segment().epochNanos())
                .thenComparingInt(e -> e.segment().frame()));
        for (Event e : events) {
            advance(e.segment().epochNanos() - zero);
            ConversationRun r = e.run();
            if (!r.started) {
                r.started = true;
                portFor(r);
                if (r.midStream) {
                    MidStream.synthesize(this, r);
                }
            }
            r.reachedFrame = Math.max(r.reachedFrame, e.segment().frame());
            if (!r.fromCaptured(e.segment())) {
                inject(r, e.segment());
            }
            performAll();
        }
        advance(lastEventNanos() + TAIL_NANOS);
        for (ConversationRun r : runs) {
            r.notes.addAll(r.unperformed());
        }
    }

    /**
     * The captured server's port as the conversation starting now found it: listening when the
     * server accepted, closed when it refused (the same port may do both in one capture, e.g. one
     * address family refused and the other accepted). A listener closes only when no accepted
     * conversation on it still waits for its handshake.
     */
    private void portFor(ConversationRun r) {
        int port = r.captured.port();
        Listening at = new Listening(r.tuple.localAddr(), port);
        if (r.script.listens && !listeners.containsKey(at)) {
            TcpListener l = stack.tcp().listen(at.addr(), port, BACKLOG, SocketOptions.DEFAULT.withReuseAddress(true));
            l.setAcceptHandler(this::acceptAll);
            listeners.put(at, l);
        } else if (r.role == Role.SERVER && !r.script.listens && listeners.containsKey(at)) {
            boolean awaited = runs.stream().anyMatch(o -> o != r && o.started && o.script.listens && o.conn == null
                    && o.captured.port() == port && o.tuple.localAddr().equals(at.addr()));
            if (awaited) {
                r.notes.add("the captured server refused this connection while tcpsim still listened on port " + port
                        + " for another conversation");
            } else {
                listeners.remove(at).close(now);
            }
        }
    }

    private void acceptAll(TcpListener l) {
        TcpConnection c;
        while ((c = l.accept()) != null) {
            ConversationRun r = active(c.tuple());
            if (r == null || r.conn != null) {
                notes.add("tcpsim accepted a connection on " + c.tuple() + " that no replayed conversation expects");
                continue;
            }
            r.conn = c;
            c.setListener(r.reader(() -> now));
            r.readAll(now); // data that came with the handshake's last ACK, before the listener was set
        }
    }

    /** The conversation on this 4-tuple that has started most recently (4-tuples are reused after TIME_WAIT). */
    ConversationRun active(FourTuple tuple) {
        List<ConversationRun> candidates = byTuple.get(tuple);
        if (candidates == null) {
            return null;
        }
        ConversationRun found = null;
        for (ConversationRun r : candidates) {
            if (r.started || found == null) {
                found = r;
            }
        }
        return found;
    }

    /** Connects tcpsim's side of a client conversation, from the captured client's port. */
    TcpConnection connect(ConversationRun r, long at) {
        TcpConnection c = stack.tcp().connect(r.tuple, SocketOptions.DEFAULT.withReuseAddress(true), at);
        c.setListener(r.reader(() -> now));
        drain();
        return c;
    }

    private void inject(ConversationRun r, Segment s) throws IOException {
        TcpConnection live = stack.tcp().connection(r.tuple);
        boolean ours = live != null && r.tcpsimIss != null && live.iss() == r.tcpsimIss;
        int ackShift = (r.tcpsimIss == null ? 0 : r.tcpsimIss) - r.capturedBase;
        Integer ackLimit = ours ? live.sndNxt() : null;
        int ecr = s.timestamps().map(ts -> r.mapTsEcr(ts.tsEcr(), now)).orElse(0);
        Rewriter.Rewritten rewritten;
        try {
            rewritten = Rewriter.rewrite(s, r.peerAddr, r.tuple.localAddr(), ackShift, ackLimit, ecr);
        } catch (IllegalArgumentException e) {
            r.injected.add(new ConversationRun.Injected(s, now, List.of("not injected: " + e.getMessage()), stateOf(r)));
            return;
        }
        queue.inject(rewritten.packet());
        poll();
        r.injected.add(new ConversationRun.Injected(s, now, rewritten.notes(), stateOf(r)));
    }

    /** Injects a segment the replay made up (a mid-stream capture's missing handshake). */
    void injectSynthetic(ConversationRun r, TcpRepr segment) throws IOException {
        queue.inject(Rewriter.emit(segment, r.peerAddr, r.tuple.localAddr()));
        poll();
    }

    long now() {
        return now;
    }

    /** The MSS tcpsim announces: what a made-up peer SYN offers too. */
    int mss() {
        return settings.tcp().mss();
    }

    void performAll() {
        for (ConversationRun r : runs) {
            if (r.started) {
                r.perform(now, this::connect);
                drain();
            }
        }
    }

    /** Fires tcpsim's timers up to {@code target}, performing what becomes possible after each. */
    private void advance(long target) throws IOException {
        while (stack.nextDeadline() <= target && timerSteps < MAX_TIMER_STEPS) {
            timerSteps++;
            now = Math.max(now, stack.nextDeadline());
            clock.advanceTo(now);
            poll();
            performAll();
        }
        if (timerSteps == MAX_TIMER_STEPS) {
            notes.add("stopped firing timers after " + MAX_TIMER_STEPS + " steps");
            timerSteps++;
        }
        now = Math.max(now, target);
        clock.advanceTo(now);
    }

    private void poll() throws IOException {
        stack.poll(now);
        drain();
    }

    /** A TCP segment tcpsim sent, and the 4-tuple it was sent on. */
    private record Sent(FourTuple tuple, TcpRepr segment) {
    }

    /** Takes what tcpsim sent and files each segment under its conversation. */
    private void drain() {
        for (byte[] packet : queue.drain()) {
            try {
                MemorySegment bytes = MemorySegment.ofArray(packet);
                Sent sent = (packet[0] >> 4 & 0xF) == Ipv6Packet.VERSION ? sent6(bytes) : sent4(bytes);
                if (sent == null) {
                    continue;
                }
                FourTuple tuple = sent.tuple();
                TcpRepr segment = sent.segment();
                ConversationRun r = active(tuple);
                if (r == null) {
                    notes.add("tcpsim sent a segment on " + tuple + ", which no replayed conversation uses");
                } else {
                    r.emitted(now, copy(segment), stateOf(r));
                }
            } catch (MalformedPacketException e) {
                notes.add("tcpsim sent a packet that does not parse: " + e.reason().description());
            }
        }
    }

    private Sent sent4(MemorySegment packet) {
        Ipv4Packet ip = Ipv4Packet.checked(packet);
        if (ip.protocol() != Ipv4Packet.PROTO_TCP) {
            notes.add("tcpsim sent a packet of IP protocol " + ip.protocol());
            return null;
        }
        TcpRepr segment = TcpRepr.parse(TcpPacket.checked(ip.payload()), ip.srcAddr(), ip.dstAddr());
        return new Sent(new FourTuple(ip.srcAddr(), segment.srcPort(), ip.dstAddr(), segment.dstPort()), segment);
    }

    /** tcpsim's IPv6 packets carry no extension headers: the upper layer follows the fixed header. */
    private Sent sent6(MemorySegment packet) {
        Ipv6Packet ip = Ipv6Packet.checked(packet);
        if (ip.nextHeader() != Ipv4Packet.PROTO_TCP) {
            notes.add("tcpsim sent an IPv6 packet of next header " + ip.nextHeader());
            return null;
        }
        MemorySegment payload = packet.asSlice(Ipv6Packet.HEADER_LENGTH, ip.payloadLength());
        TcpRepr segment = TcpRepr.parse(TcpPacket.checked(payload), ip.srcAddr(), ip.dstAddr());
        return new Sent(new FourTuple(IpAddress.ofIpv6(ip.srcAddr()), segment.srcPort(),
                IpAddress.ofIpv6(ip.dstAddr()), segment.dstPort()), segment);
    }

    private String stateOf(ConversationRun r) {
        TcpConnection live = stack.tcp().connection(r.tuple);
        return live == null ? "CLOSED" : live.state().name();
    }

    /** The segment with its payload copied out of the drained packet. */
    private static TcpRepr copy(TcpRepr s) {
        return new TcpRepr(s.srcPort(), s.dstPort(), s.seq(), s.ack(), s.flags(), s.window(), s.urgentPointer(),
                s.options(), MemorySegment.ofArray(s.payloadBytes()));
    }
}
