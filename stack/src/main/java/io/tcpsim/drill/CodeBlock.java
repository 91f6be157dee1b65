package io.tcpsim.drill;

/** A {@code %{ ... }%} block: {@code assert FIELD OP CONSTANT} lines over TCP_INFO ({@link TcpInfoAssertion}). */
public record CodeBlock(String code) implements Action {
}
