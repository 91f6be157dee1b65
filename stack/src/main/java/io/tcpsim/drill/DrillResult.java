package io.tcpsim.drill;

import java.util.List;

/**
 * How one script went.
 *
 * @param file    the script
 * @param status  passed, failed, or skipped (syntax outside tcpsim's subset)
 * @param message for a failure {@code file:line: reason} with the expected and actual lines; for a
 *                skip the reason; empty when passed
 * @param notes   what the runner left aside (ignored shell lines, skipped asserts)
 */
public record DrillResult(String file, Status status, String message, List<String> notes) {

    /** The outcome. */
    public enum Status { PASS, FAIL, SKIP }

    public DrillResult {
        notes = List.copyOf(notes);
    }
}
