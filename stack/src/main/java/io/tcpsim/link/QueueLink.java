package io.tcpsim.link;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A link that is only two queues, for tests and the drill runner: {@link #inject} puts a packet
 * where {@link #receive} finds it, and whatever the stack transmits waits in {@link #drain}.
 */
public final class QueueLink implements LinkDevice {

    private final int mtu;
    private final ArrayDeque<byte[]> inbound = new ArrayDeque<>();
    private final ArrayDeque<byte[]> outbound = new ArrayDeque<>();

    public QueueLink(int mtu) {
        this.mtu = mtu;
    }

    /** Queues {@code packet} for the stack to receive. */
    public void inject(byte[] packet) {
        inbound.add(packet.clone());
    }

    /** Everything the stack transmitted since the last drain, oldest first. */
    public List<byte[]> drain() {
        List<byte[]> packets = new ArrayList<>(outbound);
        outbound.clear();
        return packets;
    }

    /** Packets injected but not yet received by the stack. */
    public int pendingInbound() {
        return inbound.size();
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public int receive(MemorySegment buffer) {
        byte[] packet = inbound.poll();
        if (packet == null) {
            return 0;
        }
        MemorySegment.copy(packet, 0, buffer, ValueLayout.JAVA_BYTE, 0, packet.length);
        return packet.length;
    }

    @Override
    public void transmit(MemorySegment packet) {
        outbound.add(packet.toArray(ValueLayout.JAVA_BYTE));
    }

    @Override
    public boolean awaitReceivable(long timeoutNanos) {
        return !inbound.isEmpty();
    }

    @Override
    public void close() {
        inbound.clear();
        outbound.clear();
    }
}
