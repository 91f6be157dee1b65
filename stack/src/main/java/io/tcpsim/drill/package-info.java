/**
 * {@code tcpsim drill}: runs packetdrill scripts (the subset in the project guide) against a
 * tcpsim stack on a virtual clock. {@link io.tcpsim.drill.ScriptParser} reads a script into a
 * {@link io.tcpsim.drill.Script}; {@link io.tcpsim.drill.DrillRunner} plays it against a
 * {@link io.tcpsim.NetStack} on a {@link io.tcpsim.link.QueueLink}, the script's system calls
 * going through {@link io.tcpsim.socket.SocketApi} on call threads that {@link
 * io.tcpsim.drill.CallScheduler} parks on virtual time.
 */
package io.tcpsim.drill;
