package io.tcpsim.drill;

/** A shell command in backquotes: not run; well-known sysctls are mapped onto the stack ({@link Sysctls}). */
public record ShellLine(String command) implements Action {
}
