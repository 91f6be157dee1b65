package io.tcpsim.bench;

import java.util.function.LongSupplier;

/** A load generator or server of a benchmark that runs until closed, with a running count (bytes, say). */
public interface Running extends AutoCloseable {

    /** What it has counted so far (bytes received, connections echoed, ...). */
    long count();

    /** Stops it; never throws. */
    @Override
    void close();

    /** One whose count is {@code count}'s and whose close runs {@code close}. */
    static Running of(LongSupplier count, Runnable close) {
        return new Running() {
            @Override
            public long count() {
                return count.getAsLong();
            }

            @Override
            public void close() {
                close.run();
            }
        };
    }
}
