package io.tcpsim.bench;

import io.tcpsim.wire.Ipv4Address;
import java.io.IOException;

/** The raw TUN sink ({@link RawTunSink}) behind a TUN: acknowledges, or echoes, and nothing more. */
final class SinkPeer extends TunSidePeer {

    private RawTunSink sink;

    private SinkPeer(TunSide side) {
        super(side);
    }

    /** With {@code offloads}, the TUN hands the sink the kernel's TSO packets whole (up to 64 KiB). */
    static SinkPeer create(String prefix, int mtu, boolean offloads) throws IOException {
        return new SinkPeer(TunSide.create(prefix, mtu, offloads));
    }

    @Override
    public String name() {
        return "raw TUN sink";
    }

    @Override
    public Running discard(int port) {
        return start(false);
    }

    @Override
    public Running echo(int port) {
        return start(true);
    }

    /** One sink answers every port; a new workload replaces it. */
    private Running start(boolean echo) {
        if (sink != null) {
            sink.close();
        }
        RawTunSink started = new RawTunSink(side.network().link(), Ipv4Address.parse(TunSide.PEER), echo);
        sink = started;
        return Running.of(started::bytes, () -> { });
    }

    @Override
    public Running send(int port, int flows) {
        throw new UnsupportedOperationException("the raw TUN sink only answers");
    }

    @Override
    public boolean sends() {
        return false;
    }

    @Override
    public long heapInUse() {
        return Heap.usedAfterGc();
    }

    @Override
    public String kernelCounters() throws IOException {
        return side.kernelCounters();
    }

    @Override
    public void close() throws IOException {
        try {
            if (sink != null) {
                sink.close();
            }
        } finally {
            side.close();
        }
    }
}
