package io.tcpsim.udp;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The UDP MIB (RFC 4113) as nstat names it, counted where Linux counts: InDatagrams when the
 * application reads a datagram (udp_recvmsg(), not on arrival); NoPorts for a datagram no socket
 * takes; InErrors for every datagram dropped on input (bad length or checksum, receive buffer
 * full), with InCsumErrors and RcvbufErrors telling two of the reasons; OutDatagrams per datagram
 * sent. Written on the stack thread; read from others as a snapshot.
 */
public final class UdpCounters {
    private volatile long inDatagrams;
    private volatile long noPorts;
    private volatile long inErrors;
    private volatile long outDatagrams;
    private volatile long rcvbufErrors;
    private volatile long inCsumErrors;

    /** A datagram the IP glue found malformed (bad length): Linux short_packet, InErrors. */
    public void countInError() {
        inErrors++;
    }

    /** A datagram with a bad checksum: Linux csum_error, InCsumErrors and InErrors. */
    public void countCsumError() {
        inCsumErrors++;
        inErrors++;
    }

    void countInDatagram() {
        inDatagrams++;
    }

    void countNoPort() {
        noPorts++;
    }

    void countOutDatagram() {
        outDatagrams++;
    }

    void countRcvbufError() {
        rcvbufErrors++;
        inErrors++;
    }

    public long inDatagrams() {
        return inDatagrams;
    }

    public long noPorts() {
        return noPorts;
    }

    public long inErrors() {
        return inErrors;
    }

    public long outDatagrams() {
        return outDatagrams;
    }

    public long rcvbufErrors() {
        return rcvbufErrors;
    }

    public long inCsumErrors() {
        return inCsumErrors;
    }

    /** Counter name (nstat's) to value, in a stable order. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("UdpInDatagrams", inDatagrams);
        m.put("UdpNoPorts", noPorts);
        m.put("UdpInErrors", inErrors);
        m.put("UdpOutDatagrams", outDatagrams);
        m.put("UdpRcvbufErrors", rcvbufErrors);
        m.put("UdpInCsumErrors", inCsumErrors);
        return m;
    }
}
