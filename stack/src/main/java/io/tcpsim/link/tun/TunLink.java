package io.tcpsim.link.tun;

import io.tcpsim.link.LinkDevice;
import io.tcpsim.tun.TunDevice;
import io.tcpsim.tun.Wakeup;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * A {@link LinkDevice} over a non-blocking {@link TunDevice} (IFF_TUN, IFF_NO_PI: bare IP packets),
 * with an eventfd {@link Wakeup} polled beside it so that {@link #wakeUp} ends a sleep at once.
 */
public final class TunLink implements LinkDevice {

    private final TunDevice tun;
    private final int mtu;
    private final Wakeup wakeup;

    public TunLink(TunDevice tun, int mtu) throws IOException {
        if (!tun.nonBlocking()) {
            throw new IllegalArgumentException("TunLink needs a non-blocking TUN: the stack thread never blocks in read");
        }
        this.tun = tun;
        this.mtu = mtu;
        this.wakeup = Wakeup.open();
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
        return tun.awaitReadable(TimeUnit.NANOSECONDS.toMillis(timeoutNanos + 999_999), wakeup);
    }

    @Override
    public void wakeUp() throws IOException {
        wakeup.signal();
    }

    @Override
    public void close() throws IOException {
        try {
            wakeup.close();
        } finally {
            tun.close();
        }
    }
}
