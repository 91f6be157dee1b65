package io.tcpsim.replay;

import io.tcpsim.tcp.Profile;
import java.nio.file.Path;
import java.util.List;

/**
 * A whole replay.
 *
 * @param file          the capture
 * @param profile       the behaviour tcpsim replayed with
 * @param settings      tcpsim's settings taken from the capture
 * @param compareWindow the window field was compared too
 * @param notes         about the replay as a whole (capture problems, segments on no conversation)
 * @param conversations one result per replayed conversation
 */
public record ReplayResult(Path file, Profile profile, ReplaySettings settings, boolean compareWindow,
                           List<String> notes, List<ConversationResult> conversations) {
    public ReplayResult {
        notes = List.copyOf(notes);
        conversations = List.copyOf(conversations);
    }

    public long matched() {
        return conversations.stream().mapToLong(ConversationResult::matched).sum();
    }

    public long differ() {
        return conversations.stream().mapToLong(ConversationResult::differ).sum();
    }

    /** "N matched, N differ". */
    public String tally() {
        return matched() + " matched, " + differ() + " differ";
    }
}
