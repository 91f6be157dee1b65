package io.tcpsim.tcp;

import io.tcpsim.wire.Seq;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;

/**
 * Segments for a connection that is opening: SYN_SENT (RFC 9293 §3.10.7.3) and a listener's
 * SYN_RECEIVED child, which follows Linux's request-sock rules (tcp_check_req()) where RFC 9293
 * §3.10.7.4 would treat it as synchronized.
 */
final class HandshakeInput {
    private HandshakeInput() {
    }

    /** RFC 9293 §3.10.7.3, SYN-SENT STATE, in its order: ACK, RST, security, SYN. */
    static void onSynSent(TcpConnection c, TcpRepr seg, long now) {
        Tcb tcb = c.tcb;
        boolean ack = seg.hasFlags(TcpPacket.ACK);
        if (ack && (Seq.le(seg.ack(), tcb.iss) || Seq.gt(seg.ack(), tcb.sndNxt))) {
            // first: SEG.ACK =< ISS or SEG.ACK > SND.NXT: <SEQ=SEG.ACK><CTL=RST> unless it is a RST.
            if (c.retransmits == 0 && c.host.config.quickSynRetry()) {
                // Linux: "previous FIN/ACK or RST/ACK might be ignored": the SYN goes again after TCP_TIMEOUT_MIN.
                c.rtoAt = now + TcpConnection.TIMEOUT_MIN_NANOS;
            }
            c.host.sendResetFor(c.tuple(), seg);
            return;
        } else if (ack && echoesNoSyn(c, seg, now)) {
            // Linux: PAWSActive in tcp_rcv_synsent_state_process(): a TSecr older than our SYN or newer than now.
            c.host.sendResetFor(c.tuple(), seg);
            return;
        }
        if (seg.hasFlags(TcpPacket.RST)) {
            // second: a RST counts only with an acceptable ACK (RFC 5961 §3.2 keeps this for SYN-SENT).
            if (ack) {
                c.fail(TcpError.ECONNREFUSED);
            }
            return;
        }
        // third: security and precedence are not implemented (RFC 9293 §3.10.7.3 "third"; see checkSecurity()).
        if (!seg.hasFlags(TcpPacket.SYN)) {
            return; // fifth: neither SYN nor RST: drop
        }
        tcb.irs = seg.seq();
        tcb.rcvNxt = Seq.add(seg.seq(), 1);
        tcb.negotiate(seg, tcb.synShift, now);
        if (ack) {
            onSynAck(c, seg, now);
        } else {
            onCrossedSyn(c, seg, now);
        }
    }

    /**
     * Linux tcp_rcv_synsent_state_process(): with timestamps offered, a TSecr that is not between
     * the TSval of our first SYN and our clock now echoes no SYN of ours (RFC 7323 §5.3 R1's idea
     * for a connection with no TS.Recent yet).
     */
    private static boolean echoesNoSyn(TcpConnection c, TcpRepr seg, long now) {
        Tcb tcb = c.tcb;
        if (!tcb.timestampsEnabled || !seg.hasTimestamps() || seg.tsEcr() == 0) {
            return false;
        }
        int first = tcb.ts.val(c.retransStampAt);
        return Integer.compareUnsigned(seg.tsEcr() - first, tcb.ts.val(now) - first) > 0;
    }

    /**
     * fourth, SYN with an acceptable ACK: ESTABLISHED, and <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>.
     * The SYN-ACK's window is not scaled (RFC 7323 §2.2). Linux: data or FIN on a SYN-ACK is not
     * processed (no TCP Fast Open); the peer sends it again. With {@link TcpConfig#synTextKept}
     * (FreeBSD) the text goes on to the seventh step; a FIN on it is still not processed.
     */
    private static void onSynAck(TcpConnection c, TcpRepr seg, long now) {
        // Linux: no "continue processing at the sixth step": text and FIN on the SYN-ACK are dropped.
        c.tcb.acknowledge(seg.ack());
        c.tcb.stats.bytesAcked++; // Linux: tcp_ack() counts the SYN of an active open
        c.tcb.stats.lastAckRecvAt = now;
        LossRecovery.sampleRtt(c.tcb, seg, now); // RFC 6298 §2.2: SYN to SYN-ACK, unless the SYN went again
        c.establish(seg.window(), seg.seq(), seg.ack(), now);
        if (c.host.config.synTextKept() && seg.payloadLength() > 0) {
            Receiver.onText(c, textOfSyn(seg), now);
        }
        c.ackPending = true;
    }

    /** The text of a SYN as a segment of its own: after the SYN's sequence number, no SYN or FIN. */
    private static TcpRepr textOfSyn(TcpRepr seg) {
        return new TcpRepr(seg.srcPort(), seg.dstPort(), Seq.add(seg.seq(), 1), seg.ack(),
                seg.flags() & ~(TcpPacket.SYN | TcpPacket.FIN), seg.window(), seg.urgentPointer(),
                seg.options(), seg.payload());
    }

    /**
     * fourth, SYN without ACK: simultaneous open (RFC 9293 §3.5 figure 8): SYN_RECEIVED and
     * <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>; the SYN retransmission timer goes on for the SYN-ACK.
     * Linux (tcp_send_synack()) sends the SYN's buffer again, so the RTT is timed from now unless
     * the SYN was retransmitted. With {@link TcpConfig#synTextKept} (FreeBSD) the SYN's text is
     * held out of order until the handshake ends.
     */
    private static void onCrossedSyn(TcpConnection c, TcpRepr seg, long now) {
        if (c.host.config.synTextKept() && seg.payloadLength() > 0) {
            Receiver.hold(c, textOfSyn(seg)); // FreeBSD: tcp_reass() keeps it until ESTABLISHED
        }
        c.tcb.sndWnd = seg.window();
        c.tcb.sndWl1 = seg.seq();
        c.tcb.sndWl2 = seg.ack();
        c.setState(TcpState.SYN_RECEIVED);
        c.host.send(c.tuple(), c.synAck(now));
        if (c.retransmits == 0) {
            c.tcb.rtt.cancelTiming();
            c.tcb.rtt.startTiming(c.tcb.sndNxt, now);
        }
    }

    /**
     * A listener's SYN_RECEIVED child, as Linux tcp_check_req(): PAWS (RFC 7323 §5.3) and the
     * TSecr check first; a retransmitted SYN that passes PAWS gets the SYN-ACK again; an ACK of
     * anything but ISS+1 goes back to the listener, which answers with a RST (RFC 9293
     * §3.10.7.2); rejected by PAWS (counted in TcpExtPAWSEstab), echoing no SYN-ACK's TSval, or
     * outside the window: an ACK; an in-window RST or new SYN ends the request (Linux accepts any
     * in-window RST here, not only RCV.NXT); its TSval becomes TS.Recent; then the ACK completes
     * the handshake (RFC 9293 §3.10.7.4 fifth, SYN-RECEIVED) and the rest is the established
     * rules.
     */
    static void onRequest(TcpConnection c, TcpRepr seg, long now) {
        Tcb tcb = c.tcb;
        int flags = seg.flags();
        // Linux: the request keeps no TS.Recent time; it takes it as one SYN-ACK timeout ago.
        long recentAt = now - c.host.backoff(c.host.config.initialRto().toNanos(), c.retransmits);
        boolean pawsReject = Paws.rejectsStrictly(tcb, seg, recentAt, now);
        boolean tsecrReject = tcb.ts.ok && seg.hasTimestamps()
                && tcb.ts.echoesNoSynAck(seg.tsEcr());
        if (seg.seq() == tcb.irs && flags == TcpPacket.SYN && !pawsReject) {
            // Linux: a retransmitted SYN gets the SYN-ACK again (rate limited) and restarts its timer.
            if (!OutOfWindowAcks.limited(c, seg, now)) {
                tcb.rtt.cancelTiming(); // Karn: Linux num_retrans, no SYN-ACK RTT sample
                c.host.retransmit(c.tuple(), c.synAck(now));
            }
            c.rtoAt = now + c.host.backoff(c.host.config.initialRto().toNanos(), c.retransmits);
            return;
        } else if (seg.hasFlags(TcpPacket.ACK) && seg.ack() != Seq.add(tcb.iss, 1)) {
            // RFC 9293 §3.10.7.4 fifth (SYN-RECEIVED): <SEQ=SEG.ACK><CTL=RST>, before the sequence test as in Linux.
            c.host.sendResetFor(c.tuple(), seg);
            return;
        } else if (pawsReject || tsecrReject || !inRequestWindow(tcb, seg) || isRstAtWindowEndIgnored(c, seg)) {
            // RFC 9293 §3.10.7.4 first: unacceptable, so an ACK unless it is a RST (Linux: rate limited).
            if (!seg.hasFlags(TcpPacket.RST) && !OutOfWindowAcks.limited(c, seg, now)) {
                c.host.send(c.tuple(), tcb.requestAck(now));
            }
            if (pawsReject) {
                c.host.counters.pawsEstab++; // Linux: LINUX_MIB_PAWSESTABREJECTED here too
            }
            return;
        }
        if (tcb.ts.ok && seg.hasTimestamps() && !Seq.gt(seg.seq(), tcb.rcvNxt)) {
            tcb.ts.store(seg.tsVal(), now);
        }
        if (seg.seq() == tcb.irs) {
            flags &= ~TcpPacket.SYN;
        }
        if ((flags & (TcpPacket.RST | TcpPacket.SYN)) != 0) {
            // Linux: any in-window RST ends the request (no RFC 5961 exact match); a new SYN gets a RST.
            c.host.sendResetFor(c.tuple(), seg);
            c.fail(TcpError.ECONNRESET);
            return;
        } else if ((flags & TcpPacket.ACK) == 0) {
            return;
        }
        SynchronizedInput.fromAckStep(c, seg, now);
    }

    /** A RST at RCV.NXT + RCV.WND that the config's {@link TcpConfig#requestRstAtWindowEnd} leaves out (FreeBSD). */
    private static boolean isRstAtWindowEndIgnored(TcpConnection c, TcpRepr seg) {
        return seg.hasFlags(TcpPacket.RST) && !c.host.config.requestRstAtWindowEnd()
                && seg.seq() == Seq.add(c.tcb.rcvNxt, c.tcb.rcvWnd);
    }

    /** Linux tcp_in_window() over RCV.NXT .. RCV.NXT + the SYN-ACK's window. */
    private static boolean inRequestWindow(Tcb tcb, TcpRepr seg) {
        int seq = seg.seq();
        int end = Seq.add(seq, seg.segLen());
        int windowEnd = Seq.add(tcb.rcvNxt, tcb.rcvWnd);
        return seq == tcb.rcvNxt || (Seq.gt(end, tcb.rcvNxt) && Seq.lt(seq, windowEnd))
                || (seq == windowEnd && seq == end);
    }
}
