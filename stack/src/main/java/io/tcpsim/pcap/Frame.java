package io.tcpsim.pcap;

/**
 * One record of a capture file.
 *
 * @param number         1-based position in the file, as tcpdump and Wireshark number frames
 * @param epochNanos     capture time in nanoseconds since the Unix epoch
 * @param linkType       the file's LINKTYPE_ value (https://www.tcpdump.org/linktypes.html)
 * @param originalLength the frame's length on the wire; more than {@code data.length} when the
 *                       capture kept only part of it (snap length)
 * @param data           the captured bytes, link-layer header included
 */
public record Frame(int number, long epochNanos, int linkType, int originalLength, byte[] data) {

    /** True when the capture kept fewer bytes than the frame had. */
    public boolean cutShort() {
        return data.length < originalLength;
    }
}
