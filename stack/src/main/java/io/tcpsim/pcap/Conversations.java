package io.tcpsim.pcap;

import io.tcpsim.wire.TcpPacket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups segments into conversations by their pair of endpoints. A SYN (without ACK) on a pair
 * whose conversation has ended (a FIN or RST was seen) starts a new conversation unless it
 * repeats that conversation's SYN: the reuse of a 4-tuple after TIME_WAIT is two conversations.
 */
public final class Conversations {

    private Conversations() {
    }

    /** The conversations of {@code segments} (in capture order), numbered from 1. */
    public static List<Conversation> of(List<Segment> segments) {
        List<Builder> all = new ArrayList<>();
        Map<List<Endpoint>, Builder> current = new HashMap<>();
        for (Segment s : segments) {
            List<Endpoint> key = pair(s);
            Builder b = current.get(key);
            if (b == null || b.startsNewConversation(s)) {
                b = new Builder();
                all.add(b);
                current.put(key, b);
            }
            b.add(s);
        }
        List<Conversation> result = new ArrayList<>(all.size());
        for (Builder b : all) {
            result.add(b.build(result.size() + 1));
        }
        return result;
    }

    /** Both endpoints in a fixed order, so that both directions share one key. */
    private static List<Endpoint> pair(Segment s) {
        return s.src().toString().compareTo(s.dst().toString()) <= 0 ? List.of(s.src(), s.dst())
                : List.of(s.dst(), s.src());
    }

    private static final class Builder {
        private final List<Segment> segments = new ArrayList<>();
        private final Map<Endpoint, Integer> synSeq = new LinkedHashMap<>();
        private boolean ended;

        boolean startsNewConversation(Segment s) {
            boolean syn = s.has(TcpPacket.SYN) && !s.has(TcpPacket.ACK);
            Integer earlier = synSeq.get(s.src());
            return syn && ended && (earlier == null || earlier != s.seq());
        }

        void add(Segment s) {
            segments.add(s);
            if (s.has(TcpPacket.SYN) && !s.has(TcpPacket.ACK)) {
                synSeq.putIfAbsent(s.src(), s.seq());
            }
            ended |= s.has(TcpPacket.FIN) || s.has(TcpPacket.RST);
        }

        Conversation build(int number) {
            Segment first = segments.getFirst();
            Endpoint client = clientOf(first);
            Endpoint server = client.equals(first.src()) ? first.dst() : first.src();
            return new Conversation(number, client, server, segments);
        }

        /** The SYN's sender; else the receiver of a SYN-ACK; else the higher port; else the first sender. */
        private Endpoint clientOf(Segment first) {
            for (Segment s : segments) {
                if (s.has(TcpPacket.SYN)) {
                    return s.has(TcpPacket.ACK) ? s.dst() : s.src();
                }
            }
            if (first.src().port() != first.dst().port()) {
                return first.src().port() > first.dst().port() ? first.src() : first.dst();
            }
            return first.src();
        }
    }
}
