package io.tcpsim.tcp;

import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
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
    private final int localAddr;
    private final int port;
    private final int backlog;
    private final SocketOptions options;
    private final Map<FourTuple, TcpConnection> synQueue = new LinkedHashMap<>();
    private final ArrayDeque<TcpConnection> acceptQueue = new ArrayDeque<>();
    private Consumer<TcpListener> acceptHandler;
    private ObjLongConsumer<TcpConnection> childSetup;
    private boolean acceptable;
    private boolean closed;

    TcpListener(TcpHost host, int localAddr, int port, int backlog, SocketOptions options) {
        this.host = host;
        this.localAddr = localAddr;
        this.port = port;
        // Linux __sys_listen(): (unsigned) backlog > somaxconn -> somaxconn, so a negative backlog
        // also means somaxconn.
        int somaxconn = host.config.somaxconn();
        this.backlog = Integer.compareUnsigned(backlog, somaxconn) > 0 ? somaxconn : backlog;
        this.options = options;
    }

    public int localAddr() {
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
            host.sendResetFor(tuple, seg); // second: any ACK gets <SEQ=SEG.ACK><CTL=RST>
            return;
        } else if (!seg.hasFlags(TcpPacket.SYN) || seg.hasFlags(TcpPacket.FIN)) {
            host.counters.countDrop(TcpDrop.TCP_FLAGS);
            return; // fourth: anything else is dropped. Linux: SYN+FIN too (tcp_rcv_state_process()).
        }
        // third: SYN. Security and precedence are not implemented (SynchronizedInput.checkSecurity()).
        if (reuseIss.isEmpty() && synQueueFull()) {
            // Linux: both queue checks (tcp_conn_request()); TIME_WAIT reopening skips this one.
            host.counters.listenDrops++;
            return;
        } else if (acceptQueueFull()) {
            host.counters.listenOverflows++;
            host.counters.listenDrops++;
            return;
        }
        int iss = reuseIss.isPresent() ? reuseIss.getAsInt() : host.isn.isn(tuple, now);
        TcpConnection child = TcpConnection.passive(host, this, tuple, seg, iss, now);
        synQueue.put(tuple, child);
    }

    /**
     * The one place that decides whether a SYN finds the SYN queue full: Linux 6.x
     * inet_csk_reqsk_queue_is_full() (more requests than the backlog), bounded by
     * tcp_max_syn_backlog. Linux with tcp_syncookies=1 answers such a SYN with a cookie; until
     * SYN cookies exist it is dropped, as Linux does with tcp_syncookies=0.
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
        return "TcpListener[" + FourTuple.dotted(localAddr) + ":" + port + " backlog " + backlog
                + ", syn queue " + synQueue.size() + ", accept queue " + acceptQueue.size() + "]";
    }
}
