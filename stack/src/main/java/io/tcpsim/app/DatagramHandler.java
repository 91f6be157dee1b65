package io.tcpsim.app;

/** Answers one datagram of a UDP service: the reply's bytes, or null for no reply. */
@FunctionalInterface
interface DatagramHandler {
    byte[] answer(byte[] request, int length);
}
