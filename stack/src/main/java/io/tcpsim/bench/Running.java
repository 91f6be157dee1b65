package io.tcpsim.bench;

/** A load generator or server of a benchmark that runs until closed, with a running count (bytes, say). */
public interface Running extends AutoCloseable {

    /** What it has counted so far (bytes received, connections echoed, ...). */
    long count();

    /** Stops it; never throws. */
    @Override
    void close();
}
