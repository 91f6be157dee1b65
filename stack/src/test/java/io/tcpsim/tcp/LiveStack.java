package io.tcpsim.tcp;

import io.tcpsim.NetStack;
import io.tcpsim.StackConfig;
import io.tcpsim.ip.IpCounters;
import io.tcpsim.ip.IpDrop;
import io.tcpsim.link.QueueLink;
import io.tcpsim.testsupport.RawPacket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole stack (IPv4 and TCP, {@link NetStack}) on a {@link QueueLink} and a virtual clock, with
 * a peer played by the test in raw bytes ({@link RawPacket}): the harness of the malformed-input
 * tests and of the inbound-path fuzzer. {@link #establish} opens a connection through the
 * listener; every packet goes in through the IP layer, as off a TUN.
 */
public final class LiveStack implements AutoCloseable {
    public static final int LOCAL = 0x0A00_0002;
    public static final int PEER = 0x0A00_0001;
    public static final int PORT = 80;
    public static final int PEER_PORT = 40_000;
    public static final int PEER_ISS = 0x7FFF_FF00; // near 2^31, so transfers cross the signed wrap
    /** The peer's SYN options: MSS 1460, SACK permitted, window scale 7 (no timestamps). */
    public static final byte[] SYN_OPTIONS = {2, 4, 0x05, (byte) 0xB4, 4, 2, 1, 3, 3, 7};

    private final QueueLink link = new QueueLink(1500);
    private final NetStack stack;
    private final TcpListener listener;
    private long now;

    public LiveStack() {
        this(TcpConfig.linuxDefaults(1500));
    }

    public LiveStack(TcpConfig config) {
        IsnGenerator isn = new IsnGenerator("live-stack-key!!".getBytes(StandardCharsets.US_ASCII));
        stack = new NetStack(link, new StackConfig(LOCAL, config, isn));
        listener = stack.tcp().listen(0, PORT, 16);
    }

    /** A packet from the peer's address and port to the listener's. */
    public static RawPacket fromPeer() {
        return new RawPacket(PEER, PEER_PORT, LOCAL, PORT);
    }

    /** Handshake from the peer with {@code synOptions}; the accepted connection. */
    public TcpConnection establish(byte[] synOptions) {
        List<byte[]> synAck = input(fromPeer().seq(PEER_ISS).flags(RawPacket.SYN).options(synOptions).bytes());
        if (synAck.size() != 1) {
            throw new IllegalStateException("expected one SYN-ACK, got " + synAck.size() + " packets");
        }
        int iss = RawPacket.get32(synAck.getFirst(), 24);
        input(fromPeer().seq(PEER_ISS + 1).ack(iss + 1).flags(RawPacket.ACK).window(1024).bytes());
        TcpConnection c = listener.accept();
        if (c == null || c.state() != TcpState.ESTABLISHED) {
            throw new IllegalStateException("handshake did not complete: " + c);
        }
        return c;
    }

    public TcpConnection establish() {
        return establish(SYN_OPTIONS);
    }

    /** An in-window ACK segment from the peer on {@code c}, to be adjusted by the caller. */
    public static RawPacket next(TcpConnection c) {
        return fromPeer().seq(c.rcvNxt()).ack(c.sndNxt()).flags(RawPacket.ACK).window(1024);
    }

    /** Receives {@code packet} at the current time; what the stack sent in answer. */
    public List<byte[]> input(byte[] packet) {
        link.inject(packet);
        return poll();
    }

    /** Receives {@code packets} in one poll, as one batch off the link; what the stack sent in answer. */
    public List<byte[]> inputTogether(List<byte[]> packets) {
        packets.forEach(link::inject);
        return poll();
    }

    /** Processes what is queued and the timers due now; what the stack sent. */
    public List<byte[]> poll() {
        try {
            while (stack.poll(now) > 0) {
                // until the link is empty
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return link.drain();
    }

    /** Moves the clock forward by {@code nanos}, firing timers on the way; what the stack sent. */
    public List<byte[]> advance(long nanos) {
        long until = now + nanos;
        List<byte[]> sent = new ArrayList<>();
        for (long d = stack.nextDeadline(); d <= until; d = stack.nextDeadline()) {
            now = Math.max(now, d);
            sent.addAll(poll());
        }
        now = until;
        sent.addAll(poll());
        return sent;
    }

    public long now() {
        return now;
    }

    public TcpLayer tcp() {
        return stack.tcp();
    }

    public TcpListener listener() {
        return listener;
    }

    public IpCounters ipCounters() {
        return stack.counters();
    }

    public TcpCounters tcpCounters() {
        return stack.tcp().counters();
    }

    /** Exceptions the stack caught inside itself (bugs): must stay 0. */
    public long internalErrors() {
        return stack.counters().dropped(IpDrop.INTERNAL_ERROR);
    }

    @Override
    public void close() {
        try {
            stack.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
