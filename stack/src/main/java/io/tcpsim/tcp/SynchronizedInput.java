package io.tcpsim.tcp;

import io.tcpsim.wire.Seq;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;

/**
 * RFC 9293 §3.10.7.4 "Other states": the eight steps for a segment arriving in SYN_RECEIVED
 * (simultaneous open), ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING and LAST_ACK,
 * each a method, with RFC 5961's RST, SYN and challenge-ACK rules and Linux's choices
 * (tcp_validate_incoming(), tcp_rcv_state_process(), tcp_data_queue()) where the RFC leaves room.
 */
final class SynchronizedInput {
    private SynchronizedInput() {
    }

    static void onSynchronized(TcpConnection c, TcpRepr seg, long now) {
        if (Paws.rejects(c, seg, now) || !checkSequence(c, seg, now)) {
            return;
        } else if (seg.hasFlags(TcpPacket.RST)) {
            checkRst(c, seg, now);
            return;
        }
        checkSecurity();
        if (seg.hasFlags(TcpPacket.SYN) && !checkSyn(c, seg, now)) {
            return;
        } else if (!seg.hasFlags(TcpPacket.ACK)) {
            c.host.counters.countDrop(TcpDrop.TCP_FLAGS); // Linux: tcp_rcv_established(), TCP_FLAGS
            return; // fifth: "if the ACK bit is off, drop the segment and return"
        }
        fromAckStep(c, seg, now);
    }

    /** Steps five to eight: ACK, URG ({@link UrgentData#onSegment}), text, FIN. */
    static void fromAckStep(TcpConnection c, TcpRepr seg, long now) {
        if (!checkAck(c, seg, now)) {
            return;
        }
        if (UrgentData.onSegment(c.tcb, seg)) {
            c.signalReadable(); // Linux tcp_urg(): sk_data_ready() for the urgent byte (POLLPRI)
        }
        processText(c, seg, now);
        if (c.state() != TcpState.CLOSED) {
            checkFin(c, seg, now);
        }
    }

    /**
     * first: the acceptability test. Linux tcp_sequence(): acceptable when the segment ends at
     * RCV.NXT or later and starts no later than the window's right edge; it differs from RFC 9293's
     * four cases only for zero-length segments at the right edge, and it lets through the SYN-ACK
     * that crosses ours in a simultaneous open. Unacceptable: an ACK in reply (rate limited unless
     * it carries data), a challenge ACK for a SYN (RFC 5961 §4), nothing for a RST.
     */
    static boolean checkSequence(TcpConnection c, TcpRepr seg, long now) {
        Tcb tcb = c.tcb;
        int end = Seq.add(seg.seq(), seg.segLen());
        // Linux: tcp_sequence() in place of RFC 9293's four-case table.
        if (Seq.ge(end, tcb.rcvNxt) && Seq.le(seg.seq(), Seq.add(tcb.rcvNxt, tcb.rcvWnd))) {
            return true;
        }
        c.host.counters.countDrop(TcpDrop.TCP_INVALID_SEQUENCE);
        if (seg.hasFlags(TcpPacket.RST)) {
            // Linux: tcp_validate_incoming() accepts a RST at the FIN's number even here.
            if (isRstAtFin(c, seg)) {
                reset(c);
            }
            return false;
        } else if (seg.hasFlags(TcpPacket.SYN)) {
            synChallenge(c, seg, now);
        } else if (!OutOfWindowAcks.limited(c, seg, now)) {
            Receiver.reportOldText(c, seg);
            c.host.send(c.tuple(), tcb.ack(now));
        }
        return false;
    }

    /**
     * second: RFC 5961 §3.2: a RST at exactly RCV.NXT resets, one elsewhere in the window gets a
     * challenge ACK. Linux (tcp_reset_check()) also takes RCV.NXT - 1 once the peer's FIN is in.
     * The error is Linux tcp_reset()'s: EPIPE in CLOSE_WAIT, else ECONNRESET (RFC 9293 says
     * "connection refused" for a simultaneous open's SYN_RECEIVED).
     */
    static void checkRst(TcpConnection c, TcpRepr seg, long now) {
        if (seg.seq() == c.tcb.rcvNxt || isRstAtFin(c, seg)) {
            reset(c);
        } else {
            OutOfWindowAcks.challenge(c, seg, now);
        }
    }

    /** Linux tcp_reset_check(): after the peer's FIN, a RST at RCV.NXT - 1 (the FIN's number) counts too. */
    private static boolean isRstAtFin(TcpConnection c, TcpRepr seg) {
        boolean afterFin = switch (c.state()) {
            case CLOSE_WAIT, CLOSING, LAST_ACK -> true;
            case CLOSED, LISTEN, SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT -> false;
        };
        return afterFin && seg.seq() == Seq.sub(c.tcb.rcvNxt, 1);
    }

    private static void reset(TcpConnection c) {
        // Linux tcp_reset(): EPIPE in CLOSE_WAIT, ECONNRESET in SYN_RECEIVED; FreeBSD differs (ResetErrors).
        c.fail(c.tcb.resetErrors.errorIn(c.state()));
    }

    /**
     * third: security. RFC 9293 §3.10.7.4 "third, check security": the IP security compartment
     * (RFC 791 option) is obsolete and not implemented, as in Linux; nothing to check.
     */
    static void checkSecurity() {
        // nothing: see the Javadoc
    }

    /**
     * fourth: a SYN in a synchronized state gets a challenge ACK whatever its sequence number
     * (RFC 5961 §4, RFC 9293 §3.10.7.4 fourth). Linux lets through, in SYN_RECEIVED, the peer's
     * SYN-ACK that crossed ours (sequence ISS, acknowledging our SYN): it completes a simultaneous
     * open.
     *
     * @return true when processing goes on
     */
    static boolean checkSyn(TcpConnection c, TcpRepr seg, long now) {
        Tcb tcb = c.tcb;
        boolean crossingSynAck = c.state() == TcpState.SYN_RECEIVED && seg.hasFlags(TcpPacket.ACK)
                && seg.segLen() == 1 && Seq.add(seg.seq(), 1) == tcb.rcvNxt && seg.ack() == tcb.sndNxt;
        if (crossingSynAck) {
            return true; // Linux: tcp_validate_incoming() lets the crossing SYN-ACK pass as an ACK
        }
        synChallenge(c, seg, now);
        return false;
    }

    /** Linux syn_challenge: InErrs in ESTABLISHED (tcp_validate_incoming(syn_inerr)), a challenge ACK. */
    private static void synChallenge(TcpConnection c, TcpRepr seg, long now) {
        if (c.state() == TcpState.ESTABLISHED) {
            c.host.counters.inErrs++; // Linux: counted only on the established path (syn_inerr)
        }
        OutOfWindowAcks.challenge(c, seg, now);
    }

    /**
     * fifth: the ACK field. SYN_RECEIVED: SND.UNA < SEG.ACK =< SND.NXT establishes (a listener's
     * child must first fit in the accept queue), else <SEQ=SEG.ACK><CTL=RST>. Then, in every state:
     * an ACK of unsent data is dropped (RFC 9293: with an ACK; Linux: silently in ESTABLISHED, with
     * a challenge ACK in the others); a new ACK advances SND.UNA; the window is updated when
     * SND.WL1/SND.WL2 allow; and the FIN states move on once our FIN is acknowledged.
     *
     * @return true when the segment goes on to the text and FIN steps
     */
    static boolean checkAck(TcpConnection c, TcpRepr seg, long now) {
        Tcb tcb = c.tcb;
        int ack = seg.ack();
        if (c.state() == TcpState.SYN_RECEIVED) {
            if (!(Seq.lt(tcb.sndUna, ack) && Seq.le(ack, tcb.sndNxt))) {
                c.host.sendResetFor(c.tuple(), seg);
                return false;
            } else if (c.parent != null && !c.parent.admit(c, seg, now)) {
                return false;
            }
            c.establish(seg.window() << tcb.sndWscale, seg.seq(), ack, now);
            if (!tcb.outOfOrder.isEmpty()) {
                Receiver.takeHeld(c, now); // a crossed SYN's text (TcpConfig.synTextKept)
            }
        }
        if (isTooOld(tcb, ack)) {
            // RFC 5961 §5.2: a challenge ACK, the segment (and its data) dropped; Linux tcp_ack().
            OutOfWindowAcks.challenge(c, seg, now);
            return false;
        } else if (Seq.gt(ack, tcb.sndNxt)) {
            // Linux: silently dropped in ESTABLISHED (tcp_rcv_established()), challenged elsewhere; RFC: an ACK.
            if (c.state() != TcpState.ESTABLISHED) {
                OutOfWindowAcks.challenge(c, seg, now);
            } else {
                c.host.counters.countDrop(TcpDrop.TCP_ACK_UNSENT_DATA);
            }
            return false;
        }
        boolean windowAck = Seq.le(tcb.sndUna, ack);
        if (windowAck) {
            tcb.ts.updateRecent(seg, tcb.rcvWup, now); // RFC 7323 §4.3; Linux: not for an old ACK
            tcb.lastReceivedAt = now; // Linux rcv_tstamp: keepalive idles from here
            tcb.stats.lastAckRecvAt = now;
        }
        if (Seq.lt(tcb.sndUna, ack)) {
            boolean freed = Seq.gt(ack, tcb.sndQueueSeq) && tcb.sendQueue.size() > 0;
            int acked = Seq.diff(ack, tcb.sndUna) - (tcb.synAcked() ? 0 : 1); // the SYN is no data
            tcb.acknowledge(ack);
            tcb.stats.bytesAcked += acked; // Linux: a passive open's SYN is not counted (tcp_check_req())
            if (freed && !tcb.finQueued) {
                c.signalWritable();
            }
            Retransmitter.onAckAdvanced(c);
            LossRecovery.onNewAck(c, acked, seg, now);
        } else {
            LossRecovery.onOldAck(c, seg, now);
        }
        if (windowAck && (Seq.lt(tcb.sndWl1, seg.seq()) || (tcb.sndWl1 == seg.seq() && Seq.le(tcb.sndWl2, ack)))) {
            tcb.sndWnd = seg.window() << tcb.sndWscale;
            tcb.maxSndWnd = Math.max(tcb.maxSndWnd, tcb.sndWnd);
            tcb.sndWl1 = seg.seq();
            tcb.sndWl2 = ack;
        }
        if (windowAck) {
            Persist.onAck(c); // Linux tcp_ack(): not for an old ACK
        }
        return ackMovesClosingStates(c, now);
    }

    /**
     * RFC 5961 §5.2: SEG.ACK is acceptable from SND.UNA - MAX.SND.WND on; Linux tcp_ack() takes
     * for MAX.SND.WND the largest window the peer offered, but no more than the bytes it has
     * acknowledged, so that an ACK of bytes never sent is not accepted early in a connection.
     */
    private static boolean isTooOld(Tcb tcb, int ack) {
        long maxWindow = Math.min(tcb.maxSndWnd, tcb.stats.bytesAcked);
        return Seq.lt(ack, Seq.sub(tcb.sndUna, (int) maxWindow));
    }

    /** fifth, state by state: FIN_WAIT_1, CLOSING and LAST_ACK once our FIN is acknowledged. */
    private static boolean ackMovesClosingStates(TcpConnection c, long now) {
        if (!c.tcb.finAcked()) {
            return true;
        }
        switch (c.state()) {
            case FIN_WAIT_1 -> c.enterFinWait2(now);
            case CLOSING -> {
                c.enterTimeWait(now);
                return false;
            }
            case LAST_ACK -> {
                c.release();
                return false;
            }
            case CLOSED, LISTEN, SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_2, CLOSE_WAIT, TIME_WAIT -> { }
        }
        return true;
    }

    /**
     * seventh: segment text. ESTABLISHED and the FIN_WAIT states take in-order data and hold data
     * beyond a gap until it fills ({@link Receiver}, which also decides between an ACK now and a
     * delayed one). The free buffer space, not RCV.WND, bounds what is taken: the window offered
     * never exceeds that space, so data sent within any window we offered fits, even after the
     * scale's rounding retracted it (RFC 7323 §2.4). An old segment is acknowledged again at
     * once. After close() new data is answered with a RST and the connection ends (RFC 1122
     * §4.2.2.13; Linux tcp_rcv_state_process()). In CLOSE_WAIT, CLOSING and LAST_ACK the peer's
     * FIN is in, so only old segments are acknowledged.
     */
    static void processText(TcpConnection c, TcpRepr seg, long now) {
        Tcb tcb = c.tcb;
        int end = Seq.add(seg.seq(), seg.segLen());
        if (seg.segLen() > 0 && Seq.le(end, tcb.rcvNxt)) {
            Receiver.reportOldText(c, seg);
            c.ackPending = true; // Linux: tcp_data_queue() acknowledges a retransmission at once
            return;
        }
        boolean newText = seg.segLen() > 0
                && Seq.gt(Seq.sub(end, seg.hasFlags(TcpPacket.FIN) ? 1 : 0), tcb.rcvNxt);
        switch (c.state()) {
            case ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2 -> {
                if (c.orphaned && newText) {
                    // Linux: RST as a reply to this segment (tcp_v4_send_reset()), RFC 1122 §4.2.2.13.
                    c.host.sendResetFor(c.tuple(), seg);
                    c.fail(TcpError.ECONNRESET);
                } else if (seg.segLen() > 0) {
                    if (Seq.le(seg.seq(), tcb.rcvNxt)) {
                        tcb.lastReceivedAt = now; // Linux lrcvtime (tcp_event_data_recv())
                    }
                    Receiver.onText(c, seg, now);
                }
            }
            case CLOSED, LISTEN, SYN_SENT, SYN_RECEIVED, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT -> { }
        }
    }

    /**
     * eighth: FIN, once all text before it is in (its sequence number is RCV.NXT, now or once
     * the gap before a FIN held out of order has filled): RCV.NXT over
     * it, an ACK, end of stream for the reader; ESTABLISHED to CLOSE_WAIT, FIN_WAIT_1 (FIN not yet
     * acknowledged) to CLOSING, FIN_WAIT_2 to TIME_WAIT. Linux tcp_fin() acknowledges the FIN at
     * once but in ESTABLISHED, where the ACK may be delayed ({@link Receiver#ackFin}), and forgets
     * the SACK blocks it would have reported.
     */
    static void checkFin(TcpConnection c, TcpRepr seg, long now) {
        Tcb tcb = c.tcb;
        int finSeq = Seq.add(seg.seq(), seg.payloadLength());
        boolean inOrder = seg.hasFlags(TcpPacket.FIN) && finSeq == tcb.rcvNxt;
        if (tcb.finReceived || !(inOrder || Receiver.outOfOrderFinDue(tcb))) {
            return;
        }
        boolean bareOnZeroWindow = tcb.rcvWnd == 0 && inOrder && seg.payloadLength() == 0;
        tcb.outOfOrderFin = false;
        tcb.finReceived = true;
        // Linux tcp_fin(): tcp_sack_reset(), so the ACK of a FIN carries no SACK or D-SACK block,
        // even for data the FIN's segment repeated.
        tcb.sackReport.reset();
        tcb.rcvNxt = Seq.add(tcb.rcvNxt, 1);
        tcb.stats.bytesReceived++; // Linux: tcp_rcv_nxt_update() counts the FIN
        tcb.rcvWnd = Math.max(0, tcb.rcvWnd - 1);
        if (c.state() == TcpState.ESTABLISHED) {
            Receiver.ackFin(c, bareOnZeroWindow, now);
        } else {
            c.ackPending = true;
        }
        c.signalReadable();
        switch (c.state()) {
            case ESTABLISHED -> c.setState(TcpState.CLOSE_WAIT);
            case FIN_WAIT_1 -> c.setState(TcpState.CLOSING);
            case FIN_WAIT_2 -> c.enterTimeWait(now);
            case CLOSED, LISTEN, SYN_SENT, SYN_RECEIVED, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT -> { }
        }
    }
}
