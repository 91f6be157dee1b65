package io.tcpsim.pcap;

import io.tcpsim.wire.TcpOption;
import io.tcpsim.wire.TcpPacket;
import java.util.List;
import java.util.Optional;

/**
 * One captured TCP segment, decoded from its frame.
 *
 * @param frame         the frame's number in the file
 * @param epochNanos    capture time, nanoseconds since the Unix epoch
 * @param src           the sender
 * @param dst           the receiver
 * @param ipv6          carried over IPv6
 * @param seq           raw sequence number
 * @param ack           raw acknowledgment number (meaningful with ACK)
 * @param flags         the control bits, {@link TcpPacket#FIN} .. {@link TcpPacket#CWR}
 * @param window        the window field, unscaled
 * @param urgentPointer the urgent pointer field
 * @param options       the options as sent (NOP and EOL included); empty when they were malformed
 * @param payloadLength the payload length the IP header declares (more than {@code payload.length}
 *                      when the frame was cut short)
 * @param payload       the captured payload bytes
 * @param ipPacket      the captured IP packet (for tcpdump-style lines)
 * @param problems      what is wrong with it: cut short, bad checksums, malformed options
 */
public record Segment(int frame, long epochNanos, Endpoint src, Endpoint dst, boolean ipv6, int seq, int ack,
                      int flags, int window, int urgentPointer, List<TcpOption> options, int payloadLength,
                      byte[] payload, byte[] ipPacket, List<String> problems) {
    public Segment {
        options = List.copyOf(options);
        problems = List.copyOf(problems);
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** SEG.LEN (RFC 9293 §3.4): payload plus one for SYN and one for FIN. */
    public int segLen() {
        return payloadLength + (has(TcpPacket.SYN) ? 1 : 0) + (has(TcpPacket.FIN) ? 1 : 0);
    }

    /** The timestamps option, if present. */
    public Optional<TcpOption.Timestamps> timestamps() {
        return options.stream().filter(o -> o instanceof TcpOption.Timestamps)
                .map(o -> (TcpOption.Timestamps) o).findFirst();
    }

    /** Whether it carries the SACK-permitted option (RFC 2018 §2). */
    public boolean sackPermitted() {
        return options.stream().anyMatch(o -> o instanceof TcpOption.SackPermitted);
    }

    /** The MSS option's value, if present. */
    public Optional<Integer> mss() {
        return options.stream().filter(o -> o instanceof TcpOption.MaxSegmentSize)
                .map(o -> ((TcpOption.MaxSegmentSize) o).mss()).findFirst();
    }

    /** The window scale option's shift, if present. */
    public Optional<Integer> windowScale() {
        return options.stream().filter(o -> o instanceof TcpOption.WindowScale)
                .map(o -> ((TcpOption.WindowScale) o).shift()).findFirst();
    }

    /** True for a segment carrying only an acknowledgment: ACK, no data, no SYN, FIN or RST. */
    public boolean pureAck() {
        return payloadLength == 0 && has(TcpPacket.ACK)
                && !has(TcpPacket.SYN) && !has(TcpPacket.FIN) && !has(TcpPacket.RST);
    }
}
