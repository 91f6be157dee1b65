package io.tcpsim.tcp;

import io.tcpsim.wire.IpAddress;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.function.ObjLongConsumer;

/**
 * A socket in LISTEN (RFC 9293 §3.10.7.2) with Linux's two queues: the SYN queue of half-open
 * children in SYN_RECEIVED (their SYN-ACKs retransmitted at 1, 3, 7, 15, 31 s, dropped after
 * tcp_synack_retries) and the accept queue of established connections waiting for
 * {@link #accept()}, which Linux calls full when it holds more than the backlog.
 */
public final class TcpListener {
    private final TcpHost host;
    private final IpAddress localAddr;
    private final int port;
    private final int backlog;
    private SocketOptions options;
    private final Map<FourTuple, TcpConnection> synQueue = new LinkedHashMap<>();
    private final ArrayDeque<TcpConnection> acceptQueue = new ArrayDeque<>();
    private Consumer<TcpListener> acceptHandler;
    private ObjLongConsumer<TcpConnection> childSetup;
    private boolean acceptable;
    private boolean closed;
    /** Linux last_overflow: when this listener last sent a SYN cookie. */
    private long lastCookieAt = TcpConnection.NEVER;

    TcpListener(TcpHost host, IpAddress localAddr, int port, int backlog, SocketOptions options) {
        this.host = host;
        this.localAddr = localAddr;
        this.port = port;
        // Linux __sys_listen(): (unsigned) backlog > somaxconn -> somaxconn, so a negative backlog
        // also means somaxconn.
        int somaxconn = host.config.somaxconn();
        this.backlog = Integer.compareUnsigned(backlog, somaxconn) > 0 ? somaxconn : backlog;
        this.options = options;
    }

    public IpAddress localAddr() {
        return localAddr;
    }

    public int port() {
        return port;
    }

    /** The backlog in force: min(requested, somaxconn). */
    public int backlog() {
        return backlog;
    }

    SocketOptions options() {
        return options;
    }

    /** The listening socket is AF_INET6, see {@link SocketOptions#ipv6Socket()}. */
    public boolean isIpv6Socket() {
        return options.ipv6Socket();
    }

    /**
     * TCP_MAXSEG set on the listening socket: the connections it accepts from now on announce and
     * send at most this MSS (Linux keeps user_mss on the listener, tcp_create_openreq_child()
     * copies it and tcp_synack_options() clamps the SYN-ACK's MSS with it); 0 clears it.
     */
    public void setMaxSeg(int mss) {
        options = options.withMaxSeg(mss);
    }

    /** The oldest established connection, removed from the accept queue; null when there is none. */
    public TcpConnection accept() {
        return acceptQueue.poll();
    }

    public int acceptQueueLength() {
        return acceptQueue.size();
    }

    /** Half-open connections (SYN_RECEIVED) waiting for their final ACK. */
    public int synQueueLength() {
        return synQueue.size();
    }

    /** Called, on the stack thread, whenever a connection joins the accept queue. */
    public void setAcceptHandler(Consumer<TcpListener> handler) {
        this.acceptHandler = handler;
    }

    /**
     * Called, on the stack thread with the time, for each child as its handshake completes, before
     * it becomes ESTABLISHED: the socket layer gives it the listening socket's options then, as
     * Linux clones the listener into the child (sk_clone_lock()) at that moment.
     */
    public void setChildSetup(ObjLongConsumer<TcpConnection> setup) {
        this.childSetup = setup;
    }

    /**
     * Stops listening, as Linux inet_csk_listen_stop(): queued connections nobody accepted are
     * reset (tcp_disconnect()); half-open ones are forgotten, so their final ACK meets a RST.
     */
    public void close(long now) {
        if (closed) {
            return;
        }
        closed = true;
        host.demux.remove(this);
        for (TcpConnection child : new ArrayList<>(synQueue.values())) {
            child.release();
        }
        while (!acceptQueue.isEmpty()) {
            acceptQueue.poll().abort(now);
        }
    }

    /** A segment for no connection that reached this listener: RFC 9293 §3.10.7.2, LISTEN STATE. */
    void input(FourTuple tuple, TcpRepr seg, long now) {
        onSegment(tuple, seg, OptionalInt.empty(), now);
    }

    /** A SYN that reopens a TIME_WAIT 4-tuple, with the ISN the TIME_WAIT connection chose. */
    void reopen(FourTuple tuple, TcpRepr seg, int iss, long now) {
        onSegment(tuple, seg, OptionalInt.of(iss), now);
    }

    private void onSegment(FourTuple tuple, TcpRepr seg, OptionalInt reuseIss, long now) {
        if (seg.hasFlags(TcpPacket.RST)) {
            host.counters.countDrop(TcpDrop.TCP_RESET);
            return; // first: an incoming RST is ignored
        } else if (seg.hasFlags(TcpPacket.ACK)) {
            if (!seg.hasFlags(TcpPacket.SYN) && cookieChild(tuple, seg, now)) {
                return;
            }
            host.sendResetFor(tuple, seg); // second: any ACK gets <SEQ=SEG.ACK><CTL=RST>
            return;
        } else if (!seg.hasFlags(TcpPacket.SYN) || (seg.hasFlags(TcpPacket.FIN) && host.config.dropSynFin())) {
            host.counters.countDrop(TcpDrop.TCP_FLAGS);
            return; // fourth: anything else is dropped. Linux: SYN+FIN too (TcpConfig.dropSynFin).
        }
        // third: SYN. Security and precedence are not implemented (SynchronizedInput.checkSecurity()).
        int syncookies = host.config.syncookies();
        boolean wantCookie = false;
        if (reuseIss.isEmpty() && (syncookies == 2 || synQueueFull())) {
            // Linux tcp_conn_request() and tcp_syn_flood_action(); TIME_WAIT reopening skips this.
            if (syncookies == 0) {
                host.counters.reqQFullDrop++;
                host.counters.listenDrops++;
                return;
            }
            host.counters.reqQFullDoCookies++;
            wantCookie = true;
        }
        if (acceptQueueFull()) {
            host.counters.listenOverflows++;
            host.counters.listenDrops++;
            return;
        } else if (wantCookie) {
            sendCookie(tuple, seg, now);
            return;
        }
        int iss = reuseIss.isPresent() ? reuseIss.getAsInt() : host.isn.isn(tuple, now);
        TcpConnection child = TcpConnection.passive(host, this, tuple, seg, iss, now);
        synQueue.put(tuple, child);
    }

    /**
     * A SYN-ACK whose ISN is a SYN cookie, and nothing kept (RFC 4987 §3.6; Linux
     * cookie_v4_init_sequence(), which also notes the overflow: tcp_synq_overflow()).
     */
    private void sendCookie(FourTuple tuple, TcpRepr syn, long now) {
        TcpRepr remembered = SynCookies.remembered(syn, host.config);
        int mssIndex = SynCookies.mssIndex(remembered.mss().orElse(SynCookies.DEFAULT_MSS));
        int cookie = host.cookies.make(tuple, syn.seq(), mssIndex, now);
        lastCookieAt = now;
        host.counters.syncookiesSent++;
        host.send(tuple, TcpConnection.cookieSynAck(host, this, tuple, remembered, cookie, now));
    }

    /**
     * An ACK for no connection, checked as the final ACK of a cookie handshake (Linux
     * cookie_v4_check()), only while cookies were sent in the last two minutes
     * (tcp_synq_no_recent_overflow()). A valid cookie makes a child that the ACK then
     * establishes, unless the accept queue is full (ListenOverflows, the ACK dropped as Linux
     * tcp_v4_syn_recv_sock() does); a forged or stale one counts SyncookiesFailed and gets the
     * listener's RST.
     *
     * @return true when the ACK was taken (a child, or dropped on overflow)
     */
    private boolean cookieChild(FourTuple tuple, TcpRepr ack, long now) {
        if (host.config.syncookies() == 0 || lastCookieAt == TcpConnection.NEVER
                || now - lastCookieAt > SynCookies.VALID_NANOS) {
            return false;
        }
        int mss = host.cookies.check(tuple, ack.ack() - 1, ack.seq() - 1, now);
        if (mss == 0) {
            host.counters.syncookiesFailed++;
            return false;
        }
        Optional<SynCookies.Options> options = Optional.empty();
        if (ack.hasTimestamps()) {
            int offset = host.isn.tsOffset(tuple.localAddr(), tuple.remoteAddr());
            options = SynCookies.decode(ack.tsEcr() - offset, host.config);
            if (options.isEmpty()) {
                return false;
            }
        }
        host.counters.syncookiesRecv++;
        if (acceptQueueFull()) {
            host.counters.listenOverflows++;
            host.counters.listenDrops++;
            return true;
        }
        int tsVal = ack.timestamps().map(t -> t.tsVal()).orElse(0);
        TcpRepr syn = SynCookies.rebuiltSyn(ack, mss, options, tsVal);
        TcpConnection child = TcpConnection.fromCookie(host, this, tuple, syn, ack.ack() - 1, now);
        child.input(ack, now);
        return true;
    }

    /**
     * The one place that decides whether a SYN finds the SYN queue full: Linux 6.x
     * inet_csk_reqsk_queue_is_full() (more requests than the backlog), bounded by
     * tcp_max_syn_backlog. Then Linux answers with a SYN cookie (tcp_syncookies 1, the default)
     * or drops the SYN (0).
     */
    private boolean synQueueFull() {
        return synQueue.size() > backlog || synQueue.size() >= host.config.maxSynBacklog();
    }

    /** Linux sk_acceptq_is_full(): more queued than the backlog, so backlog + 1 fit. */
    private boolean acceptQueueFull() {
        return acceptQueue.size() > backlog;
    }

    /**
     * A child's final ACK (RFC 9293 §3.10.7.4 fifth, SYN-RECEIVED): into the accept queue, or, when
     * it is full, Linux tcp_check_req(): ListenOverflows and ListenDrops, then either a RST
     * (tcp_abort_on_overflow) or nothing: the child stays half-open and its SYN-ACK timer goes on,
     * so the peer's next ACK tries again.
     *
     * @return whether the child may become ESTABLISHED
     */
    boolean admit(TcpConnection child, TcpRepr finalAck, long now) {
        if (acceptQueueFull()) {
            // Linux: tcp_check_req() listen_overflow; RFC 9293 has no accept queue.
            host.counters.listenOverflows++;
            host.counters.listenDrops++;
            if (host.config.abortOnOverflow()) {
                host.sendResetFor(child.tuple(), finalAck);
                child.release();
            }
            return false;
        }
        synQueue.remove(child.tuple());
        if (childSetup != null) {
            childSetup.accept(child, now);
        }
        acceptQueue.add(child);
        host.counters.passiveOpens++;
        acceptable = true;
        return true;
    }

    /** A child left SYN_RECEIVED without being admitted (timeout, RST, ICMP). */
    void forget(TcpConnection child) {
        synQueue.remove(child.tuple(), child);
    }

    /** Tells the accept handler, once per batch, that {@link #accept()} has something. */
    void fireEvents() {
        if (acceptable && acceptHandler != null) {
            acceptable = false;
            acceptHandler.accept(this);
        }
    }

    @Override
    public String toString() {
        return "TcpListener[" + FourTuple.endpoint(localAddr, port) + " backlog " + backlog
                + ", syn queue " + synQueue.size() + ", accept queue " + acceptQueue.size() + "]";
    }
}
