package io.tcpsim.tun;

import java.util.List;

/**
 * How an external command ended.
 *
 * @param command the command line that ran
 * @param exitCode its exit status
 * @param stdout everything it wrote to standard output (UTF-8)
 * @param stderr everything it wrote to standard error (UTF-8)
 */
public record ProcessResult(List<String> command, int exitCode, String stdout, String stderr) {
    /** Copies the command line. */
    public ProcessResult {
        command = List.copyOf(command);
    }

    /** @return whether the exit status is 0 */
    public boolean success() {
        return exitCode == 0;
    }

    /**
     * @return this result when the command succeeded
     * @throws CommandException otherwise, with the command's stderr in the message
     */
    public ProcessResult orThrow() throws CommandException {
        if (!success()) {
            throw new CommandException(this);
        }
        return this;
    }
}
