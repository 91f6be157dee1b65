package io.tcpsim.app;

import io.tcpsim.socket.SockAddr;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The connections the sample servers are serving right now, for the HTTP status page. */
final class LiveConnections {

    /** One accepted connection: its descriptor, service, peer and when it was accepted. */
    record Entry(int fd, String service, String peer, Instant since) {
    }

    private final Map<Integer, Entry> byFd = new ConcurrentHashMap<>();

    void add(int fd, String service, SockAddr peer) {
        byFd.put(fd, new Entry(fd, service, peer.toString(), Instant.now()));
    }

    void remove(int fd) {
        byFd.remove(fd);
    }

    /** A snapshot, oldest first. */
    List<Entry> snapshot() {
        return byFd.values().stream().sorted(Comparator.comparing(Entry::since).thenComparing(Entry::fd)).toList();
    }
}
