package io.tcpsim.udp;

/** What an endpoint's owner (the socket layer) is told, on the stack thread. */
public interface DatagramListener {
    /** A datagram was queued. */
    void readable(UdpEndpoint endpoint);

    /** An ICMP error set the endpoint's pending error. */
    void errorReported(UdpEndpoint endpoint);
}
