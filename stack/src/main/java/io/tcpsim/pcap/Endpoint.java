package io.tcpsim.pcap;

/**
 * One end of a TCP conversation as captured.
 *
 * @param address the IP address as tcpdump prints it (dotted quad or RFC 5952 text)
 * @param port    the TCP port
 */
public record Endpoint(String address, int port) {

    /** tcpdump's "address.port". */
    @Override
    public String toString() {
        return address + "." + port;
    }
}
