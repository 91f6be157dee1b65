package io.tcpsim.pcap;

import io.tcpsim.wire.TcpPacket;
import java.util.List;
import java.util.Optional;

/**
 * The segments of one TCP connection in a capture, in capture order, with the client (the side
 * that sent the first SYN; without a SYN, the side whose port is higher) and the server.
 *
 * @param number 1-based, in order of each conversation's first segment
 */
public record Conversation(int number, Endpoint client, Endpoint server, List<Segment> segments) {
    public Conversation {
        segments = List.copyOf(segments);
    }

    /** True when the client sent {@code s}. */
    public boolean fromClient(Segment s) {
        return s.src().equals(client) && s.dst().equals(server);
    }

    /** The capture time of the first segment. */
    public long startNanos() {
        return segments.getFirst().epochNanos();
    }

    public long durationNanos() {
        return segments.getLast().epochNanos() - startNanos();
    }

    /** True when the client's SYN is in the capture; false for a capture that starts mid-stream. */
    public boolean handshakeSeen() {
        return segments.stream().anyMatch(s -> fromClient(s) && s.has(TcpPacket.SYN) && !s.has(TcpPacket.ACK));
    }

    /** Payload bytes sent by the client ({@code true}) or the server, retransmissions included. */
    public long bytesFrom(boolean client) {
        return segments.stream().filter(s -> fromClient(s) == client).mapToLong(Segment::payloadLength).sum();
    }

    /** The first segment with {@code flag} set from the client ({@code true}) or the server. */
    public Optional<Segment> first(boolean client, int flag) {
        return segments.stream().filter(s -> fromClient(s) == client && s.has(flag)).findFirst();
    }

    /** How the conversation ends, in a few words. */
    public String ending() {
        Optional<Segment> clientFin = first(true, TcpPacket.FIN);
        Optional<Segment> serverFin = first(false, TcpPacket.FIN);
        Optional<Segment> clientRst = first(true, TcpPacket.RST);
        Optional<Segment> serverRst = first(false, TcpPacket.RST);
        boolean serverAnswered = segments.stream().anyMatch(s -> !fromClient(s));
        if (serverRst.isPresent() && first(false, TcpPacket.SYN).isEmpty() && handshakeSeen()) {
            return "refused (RST to the SYN)";
        } else if (!serverAnswered && handshakeSeen()) {
            return "no answer to the SYN";
        }
        String close = "";
        if (clientFin.isPresent() && serverFin.isPresent()) {
            boolean clientFirst = clientFin.get().frame() < serverFin.get().frame();
            close = (clientFirst ? "client" : "server") + " closed first";
        } else if (clientFin.isPresent() || serverFin.isPresent()) {
            close = (clientFin.isPresent() ? "client" : "server") + " closed";
        }
        Optional<Segment> rst = clientRst.isPresent() && (serverRst.isEmpty()
                || clientRst.get().frame() < serverRst.get().frame()) ? clientRst : serverRst;
        if (rst.isPresent()) {
            String reset = "reset by the " + (fromClient(rst.get()) ? "client" : "server");
            return close.isEmpty() ? reset : close + ", then " + reset;
        }
        return close.isEmpty() ? "open at the end of the capture" : close;
    }
}
