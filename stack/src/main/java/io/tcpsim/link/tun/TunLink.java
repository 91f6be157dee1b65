package io.tcpsim.link.tun;

import io.tcpsim.link.LinkDevice;
import io.tcpsim.tun.TunDevice;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/** A {@link LinkDevice} over a non-blocking {@link TunDevice} (IFF_TUN, IFF_NO_PI: bare IP packets). */
public final class TunLink implements LinkDevice {

    private final TunDevice tun;
    private final int mtu;

    public TunLink(TunDevice tun, int mtu) {
        if (!tun.nonBlocking()) {
            throw new IllegalArgumentException("TunLink needs a non-blocking TUN: the stack thread never blocks in read");
        }
        this.tun = tun;
        this.mtu = mtu;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public int receive(MemorySegment buffer) throws IOException {
        return tun.read(buffer);
    }

    @Override
    public void transmit(MemorySegment packet) throws IOException {
        tun.write(packet);
    }

    @Override
    public boolean awaitReceivable(long timeoutNanos) throws IOException {
        return tun.awaitReadable(TimeUnit.NANOSECONDS.toMillis(timeoutNanos + 999_999));
    }

    @Override
    public void close() throws IOException {
        tun.close();
    }
}
