package io.tcpsim.socket;

import java.nio.ByteBuffer;

/**
 * {@code struct msghdr} for sendmsg(2) and recvmsg(2), Java-shaped: {@code iov} are the
 * scatter/gather buffers (each from its position to its limit; positions advance past the bytes
 * moved, as NIO's scattering reads and gathering writes do), {@code name} the address (ignored
 * on a connected TCP socket, as Linux does), {@code control} the ancillary data buffer.
 * recvmsg fills in {@code nameLength}, {@code controlLength} and {@code flags} as the kernel
 * fills msg_namelen, msg_controllen and msg_flags: TCP reports no address (length 0), no
 * ancillary data, and no flags (it never truncates: MSG_TRUNC and MSG_CTRUNC stay clear).
 */
public final class MsgHdr {
    public SockAddr name;
    public int nameLength;
    public ByteBuffer[] iov;
    public byte[] control;
    public int controlLength;
    public int flags;

    public MsgHdr() {
    }

    public MsgHdr(ByteBuffer... iov) {
        this.iov = iov;
    }
}
