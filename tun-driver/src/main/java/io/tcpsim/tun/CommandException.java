package io.tcpsim.tun;

import java.io.IOException;

/**
 * An external command (normally {@code ip}) exited with a non-zero status. The message is
 * {@code "`<command line>` failed (exit N): <stderr>"}.
 */
public final class CommandException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient ProcessResult result;

    /** @param result the failed command's outcome */
    public CommandException(ProcessResult result) {
        super("`" + String.join(" ", result.command()) + "` failed (exit " + result.exitCode() + "): "
                + (result.stderr().isBlank() ? result.stdout().strip() : result.stderr().strip()));
        this.result = result;
    }

    /** @return the failed command's outcome */
    public ProcessResult result() {
        return result;
    }
}
