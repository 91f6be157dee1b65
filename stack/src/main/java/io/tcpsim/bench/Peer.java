package io.tcpsim.bench;

import java.io.IOException;

/**
 * The side a benchmark measures, facing the kernel's load generators: tcpsim on a TUN, or one of
 * the two references (the kernel's own TCP over a veth pair, the raw TUN sink). Each lives in
 * namespaces it created and removes on {@link #close}.
 */
public interface Peer extends AutoCloseable {

    /** How tables name it. */
    String name();

    /** Its address, where the kernel's generators connect. */
    String address();

    /** The kernel's address, where the peer connects. */
    String kernelAddress();

    /** The kernel side's namespace, for load generators run as processes in it. */
    String kernelNamespace();

    /** The kernel's load generators, in the kernel-side namespace. */
    NettyLoad kernel();

    /** A server that reads and drops what it receives on {@code port}; counts the bytes. */
    Running discard(int port) throws IOException;

    /** A server that echoes what it receives on {@code port}. */
    Running echo(int port) throws IOException;

    /**
     * {@code flows} connections to the kernel's {@code port}, each writing as fast as it can.
     *
     * @throws UnsupportedOperationException when the peer only answers (the raw TUN sink)
     */
    Running send(int port, int flows) throws IOException;

    /** Whether {@link #send} works. */
    boolean sends();

    /**
     * Extra kernel-side source addresses for many connections (each gives ~64,000 ports);
     * returns all the kernel's source addresses, its own first.
     */
    java.util.List<String> kernelSources(int count) throws IOException;

    /** Heap bytes in use on the peer's side after a full GC, or -1 when not on this JVM's heap. */
    long heapInUse();

    /**
     * Bytes the peer's stack threads have allocated so far, or -1 for a peer that has none in this
     * JVM (or once one has ended): what shows that tcpsim allocates nothing per packet in the steady state (issue 8).
     */
    default long stackAllocatedBytes() {
        return -1;
    }

    /**
     * What the kernel side counted since the peer was made, for the progress lines: its TCP
     * retransmissions and the packets its interface dropped (a full TUN queue).
     */
    String kernelCounters() throws IOException;

    /** Stops the peer and removes its namespaces. */
    @Override
    void close() throws IOException;
}
