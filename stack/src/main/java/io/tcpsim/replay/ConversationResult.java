package io.tcpsim.replay;

import io.tcpsim.pcap.Conversation;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The replay of one conversation.
 *
 * @param conversation     the captured conversation
 * @param role             the side tcpsim played
 * @param midStream        the capture has no handshake; the replay made one up first
 * @param notes            what the replay did (addresses, synthesized handshake, actions not performed)
 * @param rows             every row in time order
 * @param firstDivergence  the first row that differs, explained in words; empty when none
 */
public record ConversationResult(Conversation conversation, Role role, boolean midStream, List<String> notes,
                                 List<Row> rows, String firstDivergence) {
    public ConversationResult {
        notes = List.copyOf(notes);
        rows = List.copyOf(rows);
    }

    public long matched() {
        return rows.stream().filter(r -> r.verdict() == Verdict.MATCHED).count();
    }

    /** DIFFERS, MISSING and EXTRA rows. */
    public long differ() {
        return rows.stream().filter(r -> r.verdict().differs()).count();
    }

    public long count(Verdict v) {
        return rows.stream().filter(r -> r.verdict() == v).count();
    }

    /** How many differing rows each cause explains. */
    public Map<Cause, Long> causes() {
        Map<Cause, Long> causes = new TreeMap<>();
        rows.stream().filter(r -> r.verdict().differs()).forEach(r -> causes.merge(r.cause(), 1L, Long::sum));
        return causes;
    }
}
