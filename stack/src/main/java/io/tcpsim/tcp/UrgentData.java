package io.tcpsim.tcp;

import io.tcpsim.wire.Seq;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;

/**
 * Received urgent data (RFC 9293 §3.8.5, RFC 6093) as Linux keeps it: one urgent byte, the last
 * byte before the urgent pointer (the BSD reading RFC 6093 §2 describes, Linux tcp_stdurg = 0).
 * Unless SO_OOBINLINE is set, the byte leaves the stream: reads stop at the mark, skip it there,
 * and recv(MSG_OOB) returns it once. A newer urgent pointer replaces an unread byte, which then
 * stays in the stream as ordinary data (Linux tcp_check_urg()).
 */
final class UrgentData {
    /** Linux urg_data: none, pointer seen but byte not yet arrived, byte valid, byte read. */
    enum State { NONE, NOT_YET, VALID, READ }

    /** What {@link TcpConnection#readUrgent} returns when there is no urgent byte to read (EINVAL). */
    static final int NONE = -1;
    /** What {@link TcpConnection#readUrgent} returns when the urgent byte has not arrived yet. */
    static final int NOT_YET = -2;

    State state = State.NONE;
    /**
     * An urgent pointer came at some time: reads stop at marks, so no read of this connection
     * runs on an application's thread any more. Set under the receive queue's monitor before the
     * segment's data is queued.
     */
    volatile boolean seen;
    /** Sequence number of the urgent byte (Linux urg_seq). */
    int seq;
    /** The urgent byte once it has arrived. */
    int value;
    /** SO_OOBINLINE (Linux SOCK_URGINLINE): the byte stays in the stream. */
    boolean inline;

    /**
     * RFC 9293 §3.10.7.4 sixth step, as Linux tcp_urg(): a new urgent pointer is noted; the byte
     * is taken from the segment that carries it.
     *
     * @return whether the urgent byte arrived with this segment
     */
    static boolean onSegment(Tcb tcb, TcpRepr seg) {
        UrgentData u = tcb.urgent;
        if (seg.hasFlags(TcpPacket.URG)) {
            synchronized (tcb.receiveQueue) {
                u.seen = true; // from now on reads run on the stack thread (TcpConnection#receiveOnCallerThread)
            }
            checkPointer(tcb, seg);
        }
        if (u.state != State.NOT_YET) {
            return false;
        }
        int offset = Seq.diff(u.seq, seg.seq()) - (seg.hasFlags(TcpPacket.SYN) ? 1 : 0);
        if (offset < 0 || offset >= seg.payloadLength()) {
            return false;
        }
        u.value = seg.payloadBytes()[offset] & 0xFF;
        u.state = State.VALID;
        return true;
    }

    /**
     * Linux tcp_check_urg(): the byte is at SEG.SEQ + SEG.UP - 1 (an urgent pointer of 0 is
     * taken as it is); a pointer to data already read or received, or not newer than the one
     * held, is ignored. Linux: when the mark being replaced sits at the read position, with more
     * data behind it and SO_OOBINLINE off, its byte is dropped.
     */
    private static void checkPointer(Tcb tcb, TcpRepr seg) {
        UrgentData u = tcb.urgent;
        int pointer = seg.urgentPointer();
        // Linux: tcp_stdurg = 0, the pointer is one past the urgent byte (RFC 6093 §2, BSD).
        int urgSeq = Seq.add(seg.seq(), pointer == 0 ? 0 : pointer - 1);
        int readSeq = tcb.readSeq();
        if (Seq.gt(readSeq, urgSeq) || Seq.lt(urgSeq, tcb.rcvNxt)
                || (u.state != State.NONE && !Seq.gt(urgSeq, u.seq))) {
            return;
        }
        if (u.state != State.NONE && u.seq == readSeq && !u.inline && tcb.receiveQueue.size() > 0) {
            tcb.receiveQueue.drop(1); // Linux: "copied_seq++" past the replaced mark's byte
        }
        u.state = State.NOT_YET;
        u.seq = urgSeq;
    }

    /**
     * Linux tcp_recvmsg_locked() around the mark: copies up to {@code len} bytes from the receive
     * queue, consuming them unless peeking; stops before the mark once something is copied; at
     * the mark skips the urgent byte unless SO_OOBINLINE. Once the read passes the mark, the
     * urgent data is forgotten.
     *
     * @return bytes copied; the urgent byte skipped counts not
     */
    static int copy(Tcb tcb, byte[] dst, int off, int len, boolean peek) {
        UrgentData u = tcb.urgent;
        ByteRing queue = tcb.receiveQueue;
        int start = tcb.readSeq();
        int offset = 0;
        int copied = 0;
        while (copied < len && offset < queue.size()) {
            int distance = u.state == State.NONE ? -1 : Seq.diff(u.seq, Seq.add(start, offset));
            if (distance == 0 && copied > 0) {
                break;
            } else if (distance == 0 && !u.inline) {
                offset++;
                continue;
            }
            int n = Math.min(len - copied, queue.size() - offset);
            if (distance > 0) {
                n = Math.min(n, distance);
            }
            queue.copyTo(offset, dst, off + copied, n);
            offset += n;
            copied += n;
        }
        if (!peek) {
            queue.drop(offset);
            if (u.state != State.NONE && Seq.gt(tcb.readSeq(), u.seq)) {
                u.state = State.NONE;
            }
        }
        return copied;
    }

    /** The read position is at the mark (SIOCATMARK, Linux urg_data && urg_seq == copied_seq). */
    static boolean atMark(Tcb tcb) {
        return tcb.urgent.state != State.NONE && tcb.urgent.seq == tcb.readSeq();
    }

    /**
     * Bytes FIONREAD reports (Linux tcp_inq()): those up to the mark while urgent data is
     * pending out of line, else everything queued.
     */
    static int inq(Tcb tcb) {
        UrgentData u = tcb.urgent;
        int readSeq = tcb.readSeq();
        int dataEnd = Seq.sub(tcb.rcvNxt, tcb.finReceived ? 1 : 0);
        if (u.inline || u.state == State.NONE || Seq.lt(u.seq, readSeq) || !Seq.lt(u.seq, dataEnd)) {
            return tcb.receiveQueue.size();
        }
        return Seq.diff(u.seq, readSeq);
    }

    /**
     * Bytes a read would find, for poll (Linux tcp_poll()): at the mark, out of line, the urgent
     * byte does not count.
     */
    static boolean readable(Tcb tcb) {
        int target = atMark(tcb) && !tcb.urgent.inline ? 2 : 1;
        return tcb.receiveQueue.size() >= target;
    }

    /**
     * recv(MSG_OOB), Linux tcp_recv_urg(): the urgent byte (marked read unless peeking), or
     * {@link #NONE} when out-of-line urgent data is not there or was read, {@link #NOT_YET} when
     * the pointer arrived but the byte has not.
     */
    static int read(Tcb tcb, boolean peek) {
        UrgentData u = tcb.urgent;
        if (u.inline || u.state == State.NONE || u.state == State.READ) {
            return NONE;
        } else if (u.state == State.NOT_YET) {
            return NOT_YET;
        }
        if (!peek) {
            u.state = State.READ;
        }
        return u.value;
    }

    /** Urgent data not yet read out of band (POLLPRI, Linux urg_data & TCP_URG_VALID). */
    static boolean pending(Tcb tcb) {
        return tcb.urgent.state == State.VALID;
    }
}
