package io.tcpsim.replay;

import java.util.List;

/**
 * One line of a replay's report.
 *
 * @param frame       the captured frame (0 for a segment only tcpsim sent)
 * @param relNanos    when it happened: the captured time, or tcpsim's time for EXTRA rows
 * @param side        who sent the captured segment: "client" or "server"; "tcpsim" for tcpsim's own rows
 * @param verdict     the outcome
 * @param captured    the captured segment (null for EXTRA, AFTER_END and SYNTHETIC rows)
 * @param tcpsim      tcpsim's segment (null for INJECTED and MISSING rows)
 * @param differences the fields that differ (DIFFERS rows)
 * @param cause       the likely reason (rows that differ), else null
 * @param notes       what the replay did or noticed: rewrites, capture problems, Wireshark-style notes
 * @param tcpsimState tcpsim's connection state after this row (empty when unknown)
 */
public record Row(int frame, long relNanos, String side, Verdict verdict, SegView captured, SegView tcpsim,
                  List<Difference> differences, Cause cause, List<String> notes, String tcpsimState) {
    public Row {
        differences = List.copyOf(differences);
        notes = List.copyOf(notes);
    }
}
