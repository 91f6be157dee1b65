package io.tcpsim.drill;

/** What an event does: a packet, an ICMP error, a system call, a shell command or a {@code %{ }%} block. */
public sealed interface Action permits PacketLine, IcmpLine, SyscallLine, ShellLine, CodeBlock {
}
