package io.tcpsim.tcp;

import io.tcpsim.time.Clock;
import io.tcpsim.wire.Seq;
import io.tcpsim.wire.TcpOption;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.List;

/**
 * One TCP connection: its state (RFC 9293 §3.3.2), its TCB ({@link Tcb}), its timers as deadlines,
 * and the application's calls (RFC 9293 §3.10.1-6: SEND is {@link #write}, RECEIVE {@link #read},
 * CLOSE {@link #close} or {@link #shutdownOutput}, ABORT {@link #abort}). Confined to the stack
 * thread; every entry point takes the time, none reads a clock.
 *
 * <p>Segments are dispatched on the state ({@link #input}): {@link HandshakeInput} for SYN_SENT
 * and a listener's SYN_RECEIVED, {@link SynchronizedInput} for the states of RFC 9293 §3.10.7.4,
 * {@link TimeWaitInput} for TIME_WAIT; {@link Transmitter} sends and retransmits.
 *
 * {@link Retransmitter} handles the retransmission timer, {@link LossRecovery} the ACKs,
 * {@link Receiver} the received text, {@link Persist} zero windows.
 *
 * {@link TcpTimestamps} and {@link Paws} the timestamps option (RFC 7323); {@link SackReport},
 * {@link SackScoreboard} and {@link SackRecovery} selective acknowledgments (RFC 2018, 2883, 6675);
 * {@link KeepAlive} keep-alives, {@link UrgentData} received urgent data; {@link DynamicRightSizing}
 * and {@link SendBufferTuning} grow the buffers (Linux's autotuning).
 */
public final class TcpConnection {
    /** In-order data acknowledged at once within a receive batch from 1/4 of the receive buffer unacknowledged. */
    private static final int UNACKED_SHARE_OF_BUFFER = 4;

    /** Linux TCP_TIMEOUT_MIN (2 jiffies at HZ=1000): the quick SYN resend after a bad SYN-ACK. */
    static final long TIMEOUT_MIN_NANOS = 2_000_000L;
    /** {@link #readUrgent}: no urgent byte to read out of band (none arrived, already read, or SO_OOBINLINE). */
    public static final int NO_URGENT_DATA = UrgentData.NONE;
    /** {@link #readUrgent}: the urgent pointer arrived, its byte has not. */
    public static final int URGENT_NOT_YET = UrgentData.NOT_YET;
    /** Linux SOCK_MIN_SNDBUF: 2 * (2048 + the sk_buff's size), 4608 bytes on x86-64. */
    static final int SOCK_MIN_SNDBUF = 4608;
    /** An unset time stamp. */
    static final long NEVER = Long.MIN_VALUE;

    final TcpHost host;
    final Tcb tcb;
    /** Bit of {@link #queuedAfterCaller}: a task for {@link #afterReadOnCallerThread} is queued. */
    private static final int READ_QUEUED = 1;
    /** Bit of {@link #queuedAfterCaller}: a task for {@link #afterWriteOnCallerThread} is queued. */
    private static final int WRITE_QUEUED = 2;
    private static final VarHandle QUEUED_AFTER_CALLER;

    static {
        try {
            QUEUED_AFTER_CALLER = MethodHandles.lookup().findVarHandle(TcpConnection.class, "queuedAfterCaller", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The tasks queued for the stack thread after callers' reads and writes: bits, no object per connection. */
    private volatile int queuedAfterCaller;
    /** What {@link #fireEvents} last told the send queue: callers may write on their threads. */
    private boolean callersMayWrite;
    /** The listener of a passive open (Linux request sock rules in SYN_RECEIVED); null when active. */
    final TcpListener parent;
    private final SocketOptions options;
    private TcpState state = TcpState.CLOSED;
    /** The application has closed (Linux SOCK_DEAD): orphan retries, FIN_WAIT_2 timeout, RST on data. */
    boolean orphaned;
    /** Counted in {@link TcpHost#orphans} (until CLOSED or TIME_WAIT). */
    private boolean countedOrphan;
    /** An ACK is owed for the segment being processed; {@link #flushOutput} sends it. */
    boolean ackPending;
    /** An ACK for in-order data waits for the end of the receive batch ({@link #ackInOrderData}). */
    private boolean ackAtBatchEnd;
    private TcpError error;
    /** An ICMP error in a synchronized state, reported if the connection later times out. */
    TcpError softError;
    long rtoAt = Clock.NO_DEADLINE;
    int retransmits;
    /** The persist timer (zero-window probes), unanswered probes in a row, and the probe backoff. */
    long persistAt = Clock.NO_DEADLINE;
    int probesOut;
    int probeBackoff;
    /** Linux icsk_probes_tstamp: when the first zero-window probe timer of this episode fired. */
    long probesStartedAt = NEVER;
    /** Linux retrans_stamp: the SYN, or the first retransmission since all sent data was last acknowledged. */
    long retransStampAt = NEVER;
    /** TCP_USER_TIMEOUT (RFC 5482) in nanoseconds; 0 = off. */
    long userTimeoutNanos;
    /**
     * FreeBSD's connection-establishment timer (TT_KEEP at TP_KEEPINIT, net.inet.tcp.keepinit or
     * TCP_KEEPINIT) of an active open; {@link Clock#NO_DEADLINE}: none (Linux).
     */
    long keepInitAt = Clock.NO_DEADLINE;
    final KeepAlive keepAlive;
    long timeWaitAt = Clock.NO_DEADLINE;
    private long finWait2At = Clock.NO_DEADLINE;
    /** The application has read the end of stream (Linux copied_seq went past the FIN). */
    private boolean eofRead;
    /** Linux last_oow_ack_time: when the last rate-limited ACK went out. */
    long lastOowAckAt = Long.MIN_VALUE;
    private final ConnectionEvents events = new ConnectionEvents();
    /** {@link TimerQueue}'s bookkeeping: the place in its heap, the deadline and order it has there, touched since. */
    int timerSlot = TimerQueue.NOT_QUEUED;
    long timerAt;
    long timerSerial;
    boolean timerTouched;

    private TcpConnection(TcpHost host, TcpListener parent, FourTuple tuple, SocketOptions options, int iss) {
        this.host = host;
        this.parent = parent;
        this.options = options;
        this.tcb = new Tcb(tuple, host.config, options, iss, host.isn.tsOffset(tuple.localAddr(), tuple.remoteAddr()),
                host.outgoing);
        this.keepAlive = new KeepAlive(host.config);
        this.tcb.memory = host.memory;
    }

    /** Active OPEN (RFC 9293 §3.10.1): sends the SYN and enters SYN_SENT. */
    static TcpConnection connect(TcpHost host, FourTuple tuple, SocketOptions options, long now) {
        TcpConnection c = new TcpConnection(host, null, tuple, options, host.isn.isn(tuple, now));
        c.setState(TcpState.SYN_SENT);
        c.tcb.stats.open(now);
        host.demux.add(c);
        host.counters.activeOpens++;
        host.send(tuple, c.tcb.syn(TcpPacket.SYN, c.tcb.synOptions(now), now));
        if (!host.config.keepInit().isZero()) {
            c.keepInitAt = now + host.config.keepInit().toNanos(); // FreeBSD tcp_connect(): TT_KEEP, TP_KEEPINIT
        }
        c.rtoAt = Math.min(now + host.config.initialRto().toNanos(), c.keepInitAt);
        c.retransStampAt = now; // Linux tcp_connect()
        c.tcb.rtt.startTiming(c.tcb.sndNxt, now); // RFC 6298 §2.2: the handshake gives the first sample
        return c;
    }

    /**
     * A listener's SYN_RECEIVED child (RFC 9293 §3.10.7.2, SYN in LISTEN): takes the peer's options
     * and sends the SYN-ACK. Linux: data on the SYN is not acknowledged (no TCP Fast Open).
     */
    static TcpConnection passive(TcpHost host, TcpListener parent, FourTuple tuple, TcpRepr syn, int iss,
                                 long now) {
        TcpConnection c = new TcpConnection(host, parent, tuple, parent.options(), iss);
        c.setState(TcpState.SYN_RECEIVED);
        c.tcb.stats.open(now);
        c.tcb.stats.segsIn = 1; // Linux: the child counts the listener's SYN (tcp_create_openreq_child())
        c.tcb.irs = syn.seq();
        c.tcb.rcvNxt = Seq.add(syn.seq(), 1);
        c.tcb.negotiate(syn, c.tcb.synShift, now);
        c.tcb.clampPassiveWindow();
        host.demux.add(c);
        host.send(tuple, c.synAck(now));
        c.tcb.stats.segsOut = 0; // Linux: the request sock sent the SYN-ACK; the child's count starts after it
        c.rtoAt = now + host.config.initialRto().toNanos();
        c.tcb.rtt.startTiming(c.tcb.sndNxt, now); // Linux tcp_synack_rtt_meas(): SYN-ACK to ACK
        return c;
    }

    /**
     * The SYN-ACK answering {@code syn} with a SYN cookie as its ISN (RFC 4987 §3.6); no state is
     * kept. Its TSval carries the peer's window scale and SACK-permitted in its low bits (Linux
     * tcp_make_synack() with cookie_init_timestamp()).
     */
    static TcpRepr cookieSynAck(TcpHost host, TcpListener parent, FourTuple tuple, TcpRepr syn, int cookie,
                                long now) {
        TcpConnection c = new TcpConnection(host, parent, tuple, parent.options(), cookie);
        c.tcb.irs = syn.seq();
        c.tcb.rcvNxt = Seq.add(syn.seq(), 1);
        c.tcb.negotiate(syn, c.tcb.synShift, now);
        c.tcb.clampPassiveWindow();
        TcpRepr synAck = c.synAck(now);
        if (!c.tcb.ts.ok) {
            return synAck;
        }
        int peerShift = c.tcb.wscaleOk ? c.tcb.sndWscale : -1;
        int tsVal = c.tcb.ts.withOffset(SynCookies.timestamp(TcpTimestamps.ticks(now), peerShift, c.tcb.sackOk));
        List<TcpOption> options = synAck.options().stream()
                .map(o -> o instanceof TcpOption.Timestamps t ? new TcpOption.Timestamps(tsVal, t.tsEcr()) : o)
                .toList();
        return new TcpRepr(synAck.srcPort(), synAck.dstPort(), synAck.seq(), synAck.ack(), synAck.flags(),
                synAck.window(), 0, options, TcpRepr.NO_PAYLOAD);
    }

    /**
     * The SYN_RECEIVED child a valid cookie ACK creates (Linux cookie_v4_check(), tcp_get_cookie_sock()):
     * {@code syn} is the SYN the cookie stands for; the ACK itself is then processed as the
     * handshake's final ACK. The SYN-ACK was never timed, so there is no RTT sample.
     */
    static TcpConnection fromCookie(TcpHost host, TcpListener parent, FourTuple tuple, TcpRepr syn, int iss,
                                    long now) {
        TcpConnection c = new TcpConnection(host, parent, tuple, parent.options(), iss);
        c.setState(TcpState.SYN_RECEIVED);
        c.tcb.stats.open(now);
        c.tcb.irs = syn.seq();
        c.tcb.rcvNxt = Seq.add(syn.seq(), 1);
        c.tcb.negotiate(syn, c.tcb.synShift, now);
        c.tcb.clampPassiveWindow();
        host.demux.add(c);
        return c;
    }

    public TcpState state() {
        return state;
    }

    public FourTuple tuple() {
        return tcb.tuple;
    }

    SocketOptions options() {
        return options;
    }

    /** The connection's socket is AF_INET6 (its IPv4 names are IPv4-mapped), see {@link SocketOptions#ipv6Socket()}. */
    public boolean isIpv6Socket() {
        return options.ipv6Socket();
    }

    /** What a blocked call would report: the reset or timeout that ended the connection; null if none. */
    public TcpError error() {
        return error;
    }

    public int iss() {
        return tcb.iss;
    }

    public int irs() {
        return tcb.irs;
    }

    public int sndUna() {
        return tcb.sndUna;
    }

    public int sndNxt() {
        return tcb.sndNxt;
    }

    /** The peer's window in bytes (scale applied). */
    public int sndWnd() {
        return tcb.sndWnd;
    }

    public int rcvNxt() {
        return tcb.rcvNxt;
    }

    /** The bytes the peer may still send beyond RCV.NXT. */
    public int rcvWnd() {
        return tcb.rcvWnd;
    }

    /** The MSS our segments use: min(peer's MSS or 536, our MSS). */
    public int sndMss() {
        return tcb.sndMss;
    }

    /** The largest window the peer has offered (Linux max_window). */
    public int maxSendWindow() {
        return tcb.maxSndWnd;
    }

    public int sndWscale() {
        return tcb.sndWscale;
    }

    public int rcvWscale() {
        return tcb.rcvWscale;
    }

    /** Both SYNs carried SACK-permitted, so SACK is in use (RFC 2018 §2). */
    public boolean sackPermitted() {
        return tcb.sackOk;
    }

    /** Bytes ready for {@link #read} (the urgent byte included until a read passes it). */
    public int readable() {
        return tcb.receiveQueue.size();
    }

    /** FIONREAD (Linux tcp_inq()): with urgent data pending out of line, the bytes up to the mark. */
    public int inq() {
        return state == TcpState.SYN_SENT || state == TcpState.SYN_RECEIVED ? 0 : UrgentData.inq(tcb);
    }

    /** Whether a read would find data, as poll's POLLIN counts it (the urgent byte at the mark does not). */
    public boolean hasReadableData() {
        return UrgentData.readable(tcb);
    }

    /** Bytes {@link #write} would take now. */
    public int writable() {
        return tcb.finQueued || state == TcpState.CLOSED ? 0 : tcb.sendQueue.free();
    }

    /** Bytes written and not yet sent (Linux write_seq - snd_nxt), as TCP_NOTSENT_LOWAT counts them. */
    public int notSent() {
        return Math.max(0, Seq.diff(tcb.dataEnd(), tcb.sndNxt));
    }

    /**
     * ss's Recv-Q (Linux rcv_nxt - copied_seq): the unread bytes, plus one for the peer's FIN
     * until the application has read the end of stream.
     */
    public int receiveQueueLength() {
        return tcb.receiveQueue.size() + (tcb.finReceived && !eofRead ? 1 : 0);
    }

    /**
     * ss's Send-Q (Linux write_seq - snd_una): what was written and is not yet acknowledged, our
     * SYN and FIN included.
     */
    public int sendQueueLength() {
        return Math.max(0, Seq.diff(Seq.add(tcb.dataEnd(), tcb.finQueued ? 1 : 0), tcb.sndUna));
    }

    /**
     * The timer ss shows (Linux inet_diag's order): retransmission, else persist, else the
     * TIME_WAIT timer (also an orphan's FIN_WAIT_2 timeout: Linux runs it as a timewait sock).
     */
    public TcpTimer timer(long now) {
        if (rtoAt != Clock.NO_DEADLINE) {
            return new TcpTimer(TcpTimer.Kind.ON, Math.max(0, rtoAt - now), retransmits);
        } else if (persistAt != Clock.NO_DEADLINE) {
            return new TcpTimer(TcpTimer.Kind.PERSIST, Math.max(0, persistAt - now), probesOut);
        } else if (keepAlive.at != Clock.NO_DEADLINE) {
            // Linux inet_diag: sk_timer pending, idiag_timer 2, the unanswered probes
            return new TcpTimer(TcpTimer.Kind.KEEPALIVE, Math.max(0, keepAlive.at - now), probesOut);
        } else if (timeWaitAt != Clock.NO_DEADLINE || finWait2At != Clock.NO_DEADLINE) {
            return new TcpTimer(TcpTimer.Kind.TIMEWAIT, Math.max(0, Math.min(timeWaitAt, finWait2At) - now), 0);
        }
        return TcpTimer.OFF;
    }

    public void setListener(ConnectionListener l) {
        events.setListener(l);
    }

    /**
     * The earliest timer: retransmission, persist, delayed ACK, keepalive, TIME_WAIT or FIN_WAIT_2
     * ({@link Clock#NO_DEADLINE} if none). Code that sets a timer runs inside an operation that
     * ends in {@link #fireEvents}, which reschedules the connection ({@link TimerQueue}).
     */
    public long nextDeadline() {
        long sending = Math.min(rtoAt, Math.min(persistAt, tcb.delAckAt));
        return Math.min(Math.min(sending, keepAlive.at), Math.min(timeWaitAt, finWait2At));
    }

    /** The timers' deadlines, for tracing. */
    public ConnectionTimers timers() {
        return new ConnectionTimers(rtoAt, persistAt, tcb.delAckAt, timeWaitAt, finWait2At);
    }

    /**
     * TCP_NODELAY: sub-MSS segments go at once (Nagle off); applies from the next send. Linux:
     * setting it also pushes what is queued past TCP_CORK, until the next write (TCP_NAGLE_PUSH).
     */
    public void setNoDelay(boolean on, long now) {
        tcb.noDelay = on;
        tcb.pushQueued |= on;
        flushOutput(now);
        fireEvents();
    }

    public boolean noDelay() {
        return tcb.noDelay;
    }

    /** TCP_CORK: hold sub-MSS segments until uncorked (Linux: clearing it pushes what waits). */
    public void setCork(boolean on, long now) {
        tcb.cork = on;
        flushOutput(now);
        fireEvents();
    }

    public boolean cork() {
        return tcb.cork;
    }

    /**
     * TCP_CONGESTION: "cubic" or "reno"; the window and threshold carry over.
     *
     * @throws IllegalArgumentException for another name (Linux: ENOENT)
     */
    public void setCongestionControl(String name) {
        tcb.cc = CongestionControl.named(name);
    }

    /** The names TCP_CONGESTION takes, exactly as Linux spells them (the match is case-sensitive). */
    public static boolean congestionControlAvailable(String name) {
        return name.equals(CongestionControl.RENO) || name.equals(CongestionControl.CUBIC);
    }

    /**
     * SO_RCVBUF and SO_SNDBUF on an open connection, as getsockopt(2) reports them: the buffers
     * hold that much data ({@link BufferRules#dataBytes}: half of it on Linux). Queued bytes stay when a buffer
     * shrinks below them; the window scale chosen at the SYN stays (Linux too).
     */
    public void setBuffers(int receiveBuffer, int sendBuffer, long now) {
        if (receiveBuffer > 0) {
            tcb.receiveQueue.setCapacity(tcb.bufferRules.dataBytes(receiveBuffer));
            tcb.rcvBufLocked = true;
        }
        if (sendBuffer > 0) {
            tcb.sendQueue.setCapacity(tcb.bufferRules.dataBytes(sendBuffer));
            tcb.sndBufLocked = true;
            signalWritable();
        }
        fireEvents();
    }

    /** Bytes of memory the connection's buffers hold now: both queues and the out-of-order data. */
    public long bufferMemory() {
        return (long) tcb.sendQueue.allocated() + tcb.receiveQueue.allocated() + tcb.outOfOrder.size();
    }

    /** Bytes of data the send buffer holds at most. */
    public int sendBufferSize() {
        return tcb.sendQueue.capacity();
    }

    /** Bytes of data the receive buffer holds at most. */
    public int receiveBufferSize() {
        return tcb.receiveQueue.capacity();
    }

    /** Linux SIOCOUTQ: sequence space written and not acknowledged (write_seq - snd_una), FIN included. */
    public int unacknowledged() {
        return tcb.sendQueue.size() + (tcb.finQueued && !tcb.finAcked() ? 1 : 0);
    }

    /** Linux SIOCOUTQNSD: sequence space written and not sent yet (write_seq - snd_nxt), FIN included. */
    public int unsent() {
        return Math.max(0, Seq.diff(tcb.dataEnd(), tcb.sndNxt)) + (tcb.finQueued && !tcb.finSent() ? 1 : 0);
    }

    public String congestionControl() {
        return tcb.cc.name();
    }

    /** SO_KEEPALIVE ({@link KeepAlive}). */
    public void setKeepAlive(boolean on, long now) {
        keepAlive.enable(this, on, now);
        host.demux.touch(this); // the keepalive timer moved: reschedule (TimerQueue)
    }

    public boolean keepAlive() {
        return keepAlive.enabled;
    }

    /** TCP_KEEPIDLE: idle time before the first probe; a running timer moves (Linux). */
    public void setKeepAliveIdle(Duration idle, long now) {
        keepAlive.setIdle(this, idle.toNanos(), now);
        host.demux.touch(this);
    }

    /** TCP_KEEPINTVL: time between unanswered probes. */
    public void setKeepAliveInterval(Duration interval) {
        keepAlive.intervalNanos = interval.toNanos();
    }

    /** TCP_KEEPCNT: unanswered probes before the connection fails. */
    public void setKeepAliveProbes(int probes) {
        keepAlive.probes = probes;
    }

    /**
     * TCP_USER_TIMEOUT (RFC 5482; Linux semantics, zero = off): how long data may stay
     * unacknowledged, counted from the first retransmission (Linux retrans_stamp), instead of
     * tcp_retries2; it also bounds zero-window probing and unanswered keep-alives.
     */
    public void setUserTimeout(Duration timeout) {
        userTimeoutNanos = timeout.toNanos();
    }

    /**
     * FreeBSD TCP_KEEPINIT: the handshake of an active open fails with ETIMEDOUT once this long
     * has passed; set while it is opening, the timer restarts from now (tcp_ctloutput()).
     * Meaningful only where the config has the timer ({@link TcpConfig#keepInit()} non-zero).
     */
    public void setKeepInit(Duration timeout, long now) {
        if (parent == null && opening()) {
            keepInitAt = now + timeout.toNanos();
            rtoAt = Math.min(rtoAt, keepInitAt);
        }
    }

    /** FreeBSD tcp_timer_keep(): an opening connection whose establishment timer has passed. */
    boolean keepInitExpired(long now) {
        return now >= keepInitDeadline();
    }

    /** When the establishment timer ends the handshake; {@link Clock#NO_DEADLINE} once synchronized. */
    long keepInitDeadline() {
        return opening() ? keepInitAt : Clock.NO_DEADLINE;
    }

    private boolean opening() {
        return state() == TcpState.SYN_SENT || state() == TcpState.SYN_RECEIVED;
    }

    /** SO_OOBINLINE: urgent bytes stay in the stream. */
    public void setOobInline(boolean on) {
        tcb.urgent.inline = on;
    }

    /** The congestion window in bytes. */
    public int cwnd() {
        return tcb.cwnd;
    }

    /** The slow-start threshold in bytes ({@link Integer#MAX_VALUE} until the first loss). */
    public int ssthresh() {
        return tcb.ssthresh;
    }

    /** The current retransmission timeout in nanoseconds, backoff included (RFC 6298). */
    public long rto() {
        return tcb.rtt.currentRto();
    }

    /**
     * SEND (RFC 9293 §3.10.2): copies what fits in the send buffer and sends what the peer's window
     * allows; in SYN_SENT and SYN_RECEIVED the data waits for ESTABLISHED.
     *
     * @return bytes taken (0 when the buffer is full)
     * @throws TcpException with the connection's error, or EPIPE after shutdownOutput/close
     */
    public int write(byte[] src, int off, int len, long now) {
        return write(src, off, len, false, now);
    }

    /**
     * SEND with MSG_MORE when {@code more} (Linux tcp_push()): what this call queues is held as
     * under TCP_CORK, for this call only; a later write, an ACK or the persist timer sends it.
     */
    public int write(byte[] src, int off, int len, boolean more, long now) {
        return write(src, off, len, false, more, now);
    }

    /**
     * SEND with the URGENT flag (send(MSG_OOB)) when {@code urgent}: when bytes are taken the last
     * of them is urgent: SND.UP moves past it (Linux tcp_mark_urg(): snd_up = write_seq), and
     * segments starting before SND.UP carry URG until it is acknowledged (RFC 9293 §3.8.5);
     * urgent mode sends at once, MSG_MORE or not (Linux tcp_nagle_test()). With MSG_MORE
     * ({@code more}, Linux tcp_push()) what this call queues is otherwise held as under TCP_CORK,
     * for this call only; a later write, an ACK or the persist timer sends it.
     */
    public int write(byte[] src, int off, int len, boolean urgent, boolean more, long now) {
        if (error != null) {
            throw new TcpException(error, "write on " + tuple());
        } else if (tcb.finQueued || state == TcpState.CLOSED || state == TcpState.TIME_WAIT) {
            throw new TcpException(TcpError.EPIPE, "write after shutdown on " + tuple());
        }
        int n = mayQueue(len) ? tcb.sendQueue.write(src, off, len) : 0;
        tcb.sendBufferFull |= n < len; // Linux: SOCK_NOSPACE as the writer waits for memory
        if (n > 0 && urgent) {
            tcb.sndUp = tcb.dataEnd();
        }
        if (n > 0) {
            pushWritten(more, now);
        }
        fireEvents();
        return n;
    }

    /** Sends what a write queued, the end of the write marked unless {@code more} (MSG_MORE). */
    private void pushWritten(boolean more, long now) {
        if (!more) {
            tcb.writeEnds.addLast(tcb.dataEnd()); // Linux tcp_push(): no mark under MSG_MORE
        }
        boolean corked = tcb.cork;
        tcb.pushQueued = false; // Linux: skb_entail() clears TCP_NAGLE_PUSH
        tcb.cork = corked || more;
        Transmitter.transmit(this, now);
        tcb.cork = corked;
    }

    /**
     * The application found the send buffer full (Linux SOCK_NOSPACE, which tcp_sendmsg() sets):
     * the ACKs that follow may grow the buffer ({@link SendBufferTuning}). {@link #write} notes it
     * itself when it takes less than asked; a caller that only writes what fits says so here.
     */
    public void noteSendBufferFull() {
        tcb.sendBufferFull = true;
    }

    /**
     * Linux sk_wmem_schedule() in tcp_sendmsg(): above tcp_mem's max a write waits for memory,
     * except on empty queues (sk_forced_mem_schedule()).
     */
    private boolean mayQueue(int len) {
        return tcb.sendQueue.size() == 0 || host.memory.mayCharge(Math.min(len, tcb.sendQueue.free()));
    }

    /**
     * RECEIVE (RFC 9293 §3.10.3): buffered data first ({@link #receive}), then the error, then
     * end of stream.
     *
     * @return bytes read, 0 when nothing has arrived yet, -1 after the peer's FIN
     * @throws TcpException when the connection was reset or timed out and no data is left
     */
    public int read(byte[] dst, int off, int len, long now) {
        int n = receive(dst, off, len, false, now);
        if (n > 0) {
            return n;
        } else if (error != null) {
            throw new TcpException(error, "read on " + tuple());
        }
        eofRead |= tcb.finReceived;
        return tcb.finReceived || state == TcpState.CLOSED ? -1 : 0;
    }

    /**
     * The bytes of the receive queue, as Linux tcp_recvmsg() hands them out: up to the urgent mark,
     * which a read reaches only with nothing copied yet; there the urgent byte is skipped unless
     * SO_OOBINLINE ({@link UrgentData#copy}). Peeking leaves the bytes in the queue.
     *
     * @return bytes copied, 0 when there are none
     */
    public int receive(byte[] dst, int off, int len, boolean peek, long now) {
        int before = tcb.receiveQueue.size();
        int n;
        synchronized (tcb.receiveQueue) { // one step, whatever another thread's receiveOnCallerThread does
            n = UrgentData.copy(tcb, dst, off, len, peek);
        }
        if (tcb.receiveQueue.size() != before) {
            afterRead(now);
        }
        return n;
    }

    /**
     * recv(2) without flags on the application's own thread, as Linux tcp_recvmsg() copies in the
     * reader's context with the socket locked: up to len queued bytes under the receive queue's
     * monitor, while the stack thread goes on. The rest of {@link #receive}'s work (the memory given
     * back, tcp_rcv_space_adjust(), tcp_cleanup_rbuf()'s window update, the events) is left to
     * {@link #afterReadOnCallerThread}, which the caller queues on the stack thread when
     * {@link #claimAfterRead} says so. Any thread may call it.
     *
     * @return bytes copied; 0 when the read must run on the stack thread: nothing queued, an urgent
     *     pointer seen (reads stop at the mark), or input discarded
     */
    public int receiveOnCallerThread(byte[] dst, int off, int len) {
        ByteRing queue = tcb.receiveQueue;
        synchronized (queue) {
            return tcb.urgent.seen || tcb.discardInput ? 0 : queue.take(dst, off, len);
        }
    }

    /**
     * send(2) without flags on the application's own thread, as Linux tcp_sendmsg() copies in the
     * writer's context with the socket locked: as much of src[off, off+len) as the send buffer's
     * memory holds now, while {@link #fireEvents} lets callers write (ESTABLISHED or CLOSE_WAIT, no
     * error, no FIN queued, no tcp_mem pressure). Sending it, and the rest of {@link #write}'s
     * work, is left to {@link #afterWriteOnCallerThread}, which the caller queues on the stack
     * thread when {@link #claimAfterWrite} says so. Any thread may call it.
     *
     * @return bytes taken; fewer than len (0 included) when the rest must go through the stack thread
     */
    public int writeOnCallerThread(byte[] src, int off, int len) {
        return tcb.sendQueue.appendFromOtherThread(src, off, len);
    }

    /** After bytes were written on a caller's thread: whether to queue {@link #afterWriteOnCallerThread} (none is queued yet). */
    public boolean claimAfterWrite() {
        return claim(WRITE_QUEUED);
    }

    /**
     * On the stack thread, after writes on callers' threads: their end marked as one write's
     * (Linux tcp_push()), then sent as {@link #write} sends.
     */
    public void afterWriteOnCallerThread(long now) {
        QUEUED_AFTER_CALLER.getAndBitwiseAnd(this, ~WRITE_QUEUED);
        pushWritten(false, now);
        fireEvents();
    }

    /** After bytes were read on a caller's thread: whether to queue {@link #afterReadOnCallerThread} (none is queued yet). */
    public boolean claimAfterRead() {
        return claim(READ_QUEUED);
    }

    /** Sets {@code bit} of {@link #queuedAfterCaller}; whether it was clear (the caller queues the task). */
    private boolean claim(int bit) {
        return ((int) QUEUED_AFTER_CALLER.getAndBitwiseOr(this, bit) & bit) == 0;
    }

    /** On the stack thread, after reads on callers' threads ({@link #receiveOnCallerThread}). */
    public void afterReadOnCallerThread(long now) {
        QUEUED_AFTER_CALLER.getAndBitwiseAnd(this, ~READ_QUEUED);
        tcb.receiveQueue.releaseIfEmpty();
        afterRead(now);
    }

    /** What follows bytes read out of the receive queue: tcp_rcv_space_adjust(), tcp_cleanup_rbuf(), events. */
    private void afterRead(long now) {
        adjustReceiveSpace(now);
        Transmitter.updateWindowAfterRead(this, now);
        fireEvents();
    }

    /**
     * Linux tcp_rcv_space_adjust() as the application reads, then tcp_rcvbuf_grow() when the
     * bytes read in the last RTT grew: not with SO_RCVBUF set (SOCK_RCVBUF_LOCK) nor with
     * tcp_moderate_rcvbuf 0. Nor under tcp_mem pressure: Linux keeps growing the buffer then and
     * holds the window down through rcv_ssthresh (tcp_adjust_rcv_ssthresh()); tcpsim, which holds
     * the window down directly ({@link Tcb#newWindow}), keeps the buffer as it is.
     */
    private void adjustReceiveSpace(long now) {
        int before = tcb.drs.adjust(tcb.readSeq(), tcb.rcvNxt, now);
        if (before >= 0 && host.config.moderateRcvbuf() && !tcb.rcvBufLocked && !host.memory.underPressure()) {
            tcb.growReceiveBuffer(tcb.drs.window(before, tcb.outOfOrder.spanBeyond(tcb.rcvNxt)),
                    host.config.tcpRmem().max());
        }
    }

    /** SIOCATMARK: the next byte read is where urgent data was (Linux urg_seq == copied_seq). */
    public boolean atUrgentMark() {
        return UrgentData.atMark(tcb);
    }

    /** Urgent data not yet read out of band: POLLPRI. */
    public boolean urgentPending() {
        return UrgentData.pending(tcb);
    }

    /**
     * recv(MSG_OOB) (Linux tcp_recv_urg()): the urgent byte, 0..255, marked read unless peeking;
     * else {@link #NO_URGENT_DATA} or {@link #URGENT_NOT_YET}.
     */
    public int readUrgent(boolean peek) {
        return UrgentData.read(tcb, peek);
    }

    /** Whether received data is thrown away: the socket can read no more (see {@link #shutdownInput}). */
    public boolean inputDiscarded() {
        return tcb.discardInput;
    }

    /**
     * shutdown(SHUT_RD). Linux changes nothing in TCP (data still queues and can be read); with
     * {@link TcpConfig#shutdownReadDiscards}, as FreeBSD's soshutdown() flushes the receive buffer
     * and tcp_input() frees data arriving once it cannot receive more, the unread bytes are
     * dropped and later data is acknowledged and dropped.
     */
    public void shutdownInput(long now) {
        if (!host.config.shutdownReadDiscards()) {
            return;
        }
        synchronized (tcb.receiveQueue) {
            tcb.discardInput = true;
        }
        if (tcb.receiveQueue.clear() > 0) {
            Transmitter.updateWindowAfterRead(this, now);
        }
        fireEvents();
    }

    /**
     * shutdown(SHUT_WR): a FIN after the queued data; receiving goes on (half-close). With
     * {@link TcpConfig#lateShutdownDisconnects} a shutdown in FIN-WAIT-2 or TIME-WAIT ends
     * receiving as {@link #shutdownInput} does (FreeBSD tcp_usrclosed(): soisdisconnected()).
     */
    public void shutdownOutput(long now) {
        switch (state) {
            case ESTABLISHED, SYN_RECEIVED -> queueFin(TcpState.FIN_WAIT_1);
            case CLOSE_WAIT -> queueFin(TcpState.LAST_ACK);
            // Linux: tcp_shutdown() in SYN_SENT moves to CLOSE (tcp_close_state()), sending nothing.
            case SYN_SENT -> release();
            case FIN_WAIT_2, TIME_WAIT -> {
                if (host.config.lateShutdownDisconnects()) {
                    synchronized (tcb.receiveQueue) {
                        tcb.discardInput = true;
                    }
                    tcb.receiveQueue.clear();
                }
            }
            case CLOSED, LISTEN, FIN_WAIT_1, CLOSING, LAST_ACK -> { }
        }
        flushOutput(now);
        fireEvents();
    }

    /**
     * CLOSE (RFC 9293 §3.10.4): FIN after the queued data, and the connection becomes an orphan.
     * Linux (and RFC 1122 §4.2.2.13): with unread received data, a RST instead.
     */
    public void close(long now) {
        boolean wasOrphaned = orphaned;
        orphaned = true;
        if (state == TcpState.CLOSED || state == TcpState.TIME_WAIT || wasOrphaned) {
            return;
        } else if (tcb.receiveQueue.size() > 0) {
            resetAndRelease(now); // Linux: tcp_close() with unread data (RFC 1122 §4.2.2.13 SHOULD)
        } else {
            switch (state) {
                case SYN_SENT -> release();
                case ESTABLISHED, SYN_RECEIVED -> queueFin(TcpState.FIN_WAIT_1);
                case CLOSE_WAIT -> queueFin(TcpState.LAST_ACK);
                case FIN_WAIT_2 -> finWait2At = now + host.config.finTimeout().toNanos();
                case CLOSED, LISTEN, FIN_WAIT_1, CLOSING, LAST_ACK, TIME_WAIT -> { }
            }
            if (state != TcpState.CLOSED && outOfResources()) {
                host.counters.abortOnMemory++;
                resetAndRelease(now); // Linux tcp_close(): tcp_check_oom(), tcp_send_active_reset()
            } else {
                flushOutput(now);
            }
        }
        fireEvents();
    }

    /**
     * Linux tcp_check_oom() as tcp_close() calls it, with this connection now an orphan: more
     * orphans than tcp_max_orphans, or tcp_mem above max while this one still queues more than
     * SOCK_MIN_SNDBUF.
     */
    private boolean outOfResources() {
        countedOrphan = true;
        host.orphans++;
        return OutOfResources.checkOom(this, 0);
    }

    private void uncountOrphan() {
        if (countedOrphan) {
            countedOrphan = false;
            host.orphans--;
        }
    }

    /**
     * ABORT (RFC 9293 §3.10.5; SO_LINGER {on, 0} then close()): a RST in the states Linux's
     * tcp_disconnect() resets (tcp_need_reset(), or unsent data in CLOSING/LAST_ACK), then CLOSED.
     */
    public void abort(long now) {
        orphaned = true;
        // Linux: tcp_disconnect() decides which states get a RST; RFC 9293 resets every synchronized one.
        switch (state) {
            case ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, FIN_WAIT_2, SYN_RECEIVED -> resetAndRelease(now);
            case CLOSING, LAST_ACK -> {
                if (tcb.finSent()) {
                    release();
                } else {
                    resetAndRelease(now);
                }
            }
            case SYN_SENT -> release();
            case CLOSED, LISTEN, TIME_WAIT -> { }
        }
        fireEvents();
    }

    /** One segment for this connection, dispatched on the state. */
    void input(TcpRepr seg, long now) {
        tcb.stats.segsIn++;
        if (seg.payloadLength() > 0) {
            tcb.stats.dataSegsIn++;
        }
        switch (state) {
            case CLOSED, LISTEN -> throw new IllegalStateException(tuple() + " is " + state + ", not in the demux");
            case SYN_SENT -> HandshakeInput.onSynSent(this, seg, now);
            case SYN_RECEIVED -> {
                if (parent != null) {
                    HandshakeInput.onRequest(this, seg, now);
                } else {
                    SynchronizedInput.onSynchronized(this, seg, now);
                }
            }
            case ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK ->
                    SynchronizedInput.onSynchronized(this, seg, now);
            case TIME_WAIT -> TimeWaitInput.onTimeWait(this, seg, now);
        }
        flushOutput(now);
        checkSendSpace(); // Linux tcp_data_snd_check(): tcp_push_pending_frames(), then tcp_check_space()
        fireEvents();
    }

    /** Fires every timer due at {@code now}. */
    void onTimers(long now) {
        if (rtoAt <= now) {
            Retransmitter.onRetransmitTimeout(this, now);
        }
        if (persistAt <= now) {
            Persist.onTimeout(this, now);
        }
        if (tcb.delAckAt <= now) {
            Receiver.onDelayedAckTimeout(this, now);
        }
        if (keepAlive.at <= now) {
            KeepAlive.onTimeout(this, now);
        }
        if (finWait2At <= now || timeWaitAt <= now) {
            // Linux: both run on the TIME_WAIT timer (an orphaned FIN_WAIT_2 is a timewait sock), counted as TW.
            host.counters.timeWaited++;
            release();
        }
        fireEvents();
    }

    /** Moves to {@code next}, keeping CurrEstab and EstabResets as Linux tcp_set_state() does. */
    void setState(TcpState next) {
        TcpState old = state;
        state = next;
        host.observer.stateChanged(tcb.tuple, old, next);
        events.signal(ConnectionEvents.STATE_CHANGED);
        boolean wasEstab = old == TcpState.ESTABLISHED || old == TcpState.CLOSE_WAIT;
        boolean isEstab = next == TcpState.ESTABLISHED || next == TcpState.CLOSE_WAIT;
        if (isEstab && !wasEstab) {
            host.counters.currEstab++;
        } else if (wasEstab && !isEstab) {
            host.counters.currEstab--;
            if (next == TcpState.CLOSED) {
                host.counters.estabResets++;
            }
        }
    }

    /**
     * Handshake done (RFC 9293 §3.10.7.3 / §3.10.7.4 fifth): window variables from the segment;
     * without an RTT sample from the handshake the RTO becomes 3 s (RFC 6298 §5.7, Linux
     * TCP_TIMEOUT_FALLBACK in tcp_init_metrics(); a passive open's sample, taken after this, replaces
     * it); the keepalive timer starts.
     */
    void establish(int sndWnd, int wl1, int wl2, long now) {
        tcb.sndWnd = sndWnd;
        tcb.sndWl1 = wl1;
        tcb.sndWl2 = wl2;
        tcb.maxSndWnd = sndWnd;
        tcb.cwnd = Transmitter.initialWindow(tcb);
        tcb.rcvWup = tcb.rcvNxt;
        rtoAt = Clock.NO_DEADLINE;
        retransmits = 0;
        retransStampAt = NEVER;
        tcb.rtt.fallBack();
        tcb.lastReceivedAt = now;
        initBufferSpace(now);
        keepAlive.start(now);
        setState(TcpState.ESTABLISHED);
        if (parent == null) {
            events.signal(ConnectionEvents.ESTABLISHED | ConnectionEvents.WRITABLE);
        }
    }

    /**
     * Linux tcp_init_buffer_space(): the send buffer grows for the initial window unless SO_SNDBUF
     * was set ({@link SendBufferTuning#expand}); receive autotuning starts counting from
     * min(window clamp, RCV.WND, TCP_INIT_CWND * advmss).
     */
    private void initBufferSpace(long now) {
        if (!tcb.sndBufLocked) {
            SendBufferTuning.expand(tcb, host.config.tcpWmem().max());
        }
        int space = Math.min(Math.min(tcb.rcvWndClamp, tcb.rcvWnd), Transmitter.INITIAL_WINDOW_SEGMENTS * tcb.advMss());
        tcb.drs.start(space, tcb.readSeq(), now);
    }

    /**
     * Linux tcp_check_space() after a segment's output: when a write found the buffer full
     * (SOCK_NOSPACE), tcp_new_space() grows it if tcp_should_expand_sndbuf() allows (the window
     * no longer full after the ACK); the flag clears once the free space is at least half of what
     * is queued (sk_stream_write_space()).
     */
    private void checkSendSpace() {
        if (!tcb.sendBufferFull) {
            return;
        }
        if (SendBufferTuning.shouldExpand(tcb, host.memory)) {
            SendBufferTuning.expand(tcb, host.config.tcpWmem().max());
        }
        if (tcb.sendQueue.free() >= tcb.sendQueue.size() / 2) {
            tcb.sendBufferFull = false;
        }
    }

    /**
     * Enters TIME_WAIT for 2 MSL, all other timers off (RFC 9293 §3.10.7.4 fifth and eighth). With
     * tcp_max_tw_buckets connections in TIME_WAIT already, as Linux tcp_time_wait() when
     * inet_twsk_alloc() finds no bucket: TcpExtTCPTimeWaitOverflow, and the connection is closed
     * at once (tcp_done()), after the ACK it owes (tcp_fin() sends it before tcp_time_wait()).
     */
    void enterTimeWait(long now) {
        if (host.timeWaits >= host.config.maxTwBuckets()) {
            host.counters.timeWaitOverflow++;
            if (ackPending) {
                host.send(tuple(), tcb.ack(now));
                ackPending = false;
            }
            release();
            return;
        }
        uncountOrphan(); // Linux: the time-wait sock replaces the orphan
        host.timeWaits++;
        setState(TcpState.TIME_WAIT);
        rtoAt = Clock.NO_DEADLINE;
        persistAt = Clock.NO_DEADLINE;
        tcb.delAckAt = Clock.NO_DEADLINE;
        finWait2At = Clock.NO_DEADLINE;
        keepAlive.stop();
        timeWaitAt = now + host.config.timeWait().toNanos();
        events.signal(ConnectionEvents.CLOSED);
    }

    /** Our FIN is acknowledged in FIN_WAIT_1 (RFC 9293 §3.10.7.4 fifth). */
    void enterFinWait2(long now) {
        setState(TcpState.FIN_WAIT_2);
        rtoAt = Clock.NO_DEADLINE;
        if (orphaned) {
            // Linux: an orphan waits tcp_fin_timeout for the peer's FIN (RFC 9293 leaves it open).
            finWait2At = now + host.config.finTimeout().toNanos();
        }
    }

    /**
     * The connection failed (Linux tcp_done()): error recorded, AttemptFails counted when it was
     * still opening, CLOSED.
     */
    void fail(TcpError err) {
        if (state == TcpState.SYN_SENT || state == TcpState.SYN_RECEIVED) {
            host.counters.attemptFails++;
        }
        error = err;
        release();
    }

    /** Enters CLOSED and deletes the TCB from the demux and the listener's SYN queue. */
    void release() {
        if (state == TcpState.CLOSED) {
            return;
        }
        boolean wasOpen = state != TcpState.TIME_WAIT;
        if (!wasOpen) {
            host.timeWaits--;
        }
        setState(TcpState.CLOSED);
        rtoAt = Clock.NO_DEADLINE;
        persistAt = Clock.NO_DEADLINE;
        tcb.delAckAt = Clock.NO_DEADLINE;
        timeWaitAt = Clock.NO_DEADLINE;
        finWait2At = Clock.NO_DEADLINE;
        keepAlive.stop();
        host.demux.remove(this);
        rechargeMemory();
        uncountOrphan();
        if (parent != null) {
            parent.forget(this);
        }
        if (wasOpen) {
            events.signal(ConnectionEvents.CLOSED);
        }
    }

    void signalReadable() {
        events.signal(ConnectionEvents.READABLE);
    }

    void signalWritable() {
        events.signal(ConnectionEvents.WRITABLE);
    }

    /**
     * Delivers the pending events once the stack is between segments; then the listener's. Every
     * operation ends here, so this is also where the demux learns that the timers may have moved.
     */
    void fireEvents() {
        rechargeMemory();
        letCallersWrite((state == TcpState.ESTABLISHED || state == TcpState.CLOSE_WAIT) && error == null
                && !tcb.finQueued && !host.memory.underPressure());
        host.demux.touch(this);
        events.fire(this);
        if (parent != null) {
            parent.fireEvents();
        }
    }

    /** Lets callers write on their own threads ({@link #writeOnCallerThread}) or stops them. */
    private void letCallersWrite(boolean allowed) {
        if (allowed != callersMayWrite) {
            callersMayWrite = allowed;
            tcb.sendQueue.letOthersAppend(allowed);
        }
    }

    /**
     * Brings this connection's charge to the layer's {@link TcpMemory} up to date: the bytes its
     * queues hold, nothing once CLOSED.
     */
    void rechargeMemory() {
        long held = state == TcpState.CLOSED ? 0
                : (long) tcb.receiveQueue.size() + tcb.outOfOrder.size() + tcb.sendQueue.size();
        host.memory.recharge(tcb.memoryCharged, held);
        tcb.memoryCharged = held;
    }

    /**
     * The SYN-ACK of this connection: a listener offers window scale, timestamps and SACK only
     * when the peer did (RFC 7323 §2.2, RFC 2018 §2; Linux tcp_synack_options()); in a simultaneous
     * open Linux resends its SYN's options (tcp_syn_options()), FreeBSD's tcp_output() still only
     * what the peer offered ({@link OptionLayout#FREEBSD}). The TSvals sent are kept for the
     * TSecr check of the ACK (Linux snt_tsval_first/last).
     */
    TcpRepr synAck(long now) {
        boolean resendSynOptions = parent == null && tcb.optionLayout == OptionLayout.LINUX;
        int shift = resendSynOptions || tcb.wscaleOk ? tcb.rcvWscale : -1;
        boolean timestamps = resendSynOptions ? tcb.timestampsEnabled : tcb.ts.ok;
        if (timestamps) {
            tcb.ts.noteSynAck(tcb.ts.stamp(now));
        }
        boolean sack = resendSynOptions ? tcb.sackEnabled : tcb.sackOk;
        return tcb.syn(TcpPacket.SYN | TcpPacket.ACK, tcb.synOptions(shift, timestamps, sack, now), now);
    }

    /**
     * Linux __tcp_ack_snd_check() wants an ACK for in-order data: at once, or, within a batch of
     * received packets, once at its end, as Linux acknowledges a GRO packet, the segments the
     * driver's poll merged, with one ACK. Out-of-order data, gaps filled, FINs and
     * retransmissions are still acknowledged at once ({@link #ackPending}), and so is in-order
     * data once a quarter of the receive buffer waits for its ACK: a GRO packet is at most 64 KiB
     * against Linux's megabytes of window, while a batch here may hold tcpsim's whole window, and
     * holding its ACK to the end would stall the sender.
     */
    void ackInOrderData() {
        if (Seq.diff(tcb.rcvNxt, tcb.rcvWup) >= tcb.receiveQueue.capacity() / UNACKED_SHARE_OF_BUFFER) {
            ackPending = true;
            return;
        } else if (ackAtBatchEnd) {
            return;
        }
        ackAtBatchEnd = host.deferAckToBatchEnd(this);
        if (!ackAtBatchEnd) {
            ackPending = true;
        }
    }

    /** The receive batch is over: the ACK {@link #ackInOrderData} deferred, unless a segment since carried it. */
    void sendBatchAck(long now) {
        ackAtBatchEnd = false;
        if (state != TcpState.CLOSED && Seq.gt(tcb.rcvNxt, tcb.rcvWup)) {
            host.send(tuple(), tcb.ack(now));
            fireEvents();
        }
    }

    /** Sends what the window allows, then the owed ACK if no segment carried it. */
    void flushOutput(long now) {
        boolean sent = Transmitter.transmit(this, now);
        if (ackPending && !sent && state != TcpState.CLOSED) {
            host.send(tuple(), tcb.ack(now));
        }
        ackPending = false;
    }

    private void queueFin(TcpState next) {
        letCallersWrite(false); // before the FIN takes its sequence number: no byte after it
        tcb.finQueued = true;
        setState(next);
    }

    /**
     * A keepalive timeout (Linux tcp_keepalive_timer()): RST|ACK, then the error a retransmission
     * timeout reports (tcp_write_err(): the ICMP soft error kept, else ETIMEDOUT).
     */
    void abortOnTimeout(long now) {
        host.send(tuple(), tcb.segment(tcb.sndNxt, TcpPacket.RST | TcpPacket.ACK, List.of(), TcpRepr.NO_PAYLOAD, now));
        fail(softError != null ? softError : TcpError.ETIMEDOUT);
    }

    /** Linux tcp_send_active_reset(): RST|ACK at SND.NXT, then CLOSED. */
    void resetAndRelease(long now) {
        host.send(tuple(), tcb.segment(tcb.sndNxt, TcpPacket.RST | TcpPacket.ACK, List.of(), TcpRepr.NO_PAYLOAD, now));
        release();
    }

    @Override
    public String toString() {
        return "TcpConnection[" + tuple() + " " + state + "]";
    }
}
