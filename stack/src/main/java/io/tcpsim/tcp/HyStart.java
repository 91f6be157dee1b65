package io.tcpsim.tcp;

import io.tcpsim.wire.Seq;

/**
 * Hybrid slow start as Linux's CUBIC runs it by default (tcp_cubic.c, hystart=1 with ACK-train
 * and delay detection; Ha and Rhee, "Taming the elephants", 2011): slow start ends (ssthresh =
 * cwnd) before the queue overflows, when within one round the ACKs keep coming closely spaced
 * for more than half the minimum RTT (the window covers the path), or when the smallest of the
 * round's first eight RTT samples exceeds the minimum RTT by an eighth of it (4 to 16 ms): the
 * queue is growing.
 */
final class HyStart {
    /** Linux hystart_low_window: detection starts at 16 segments. */
    static final int LOW_WINDOW = 16;
    /** Linux HYSTART_MIN_SAMPLES. */
    static final int MIN_SAMPLES = 8;
    /** Linux hystart_ack_delta_us: ACKs closer than this belong to one train. */
    static final long ACK_DELTA_NANOS = 2_000_000L;
    /** Linux HYSTART_DELAY_MIN and HYSTART_DELAY_MAX: the bounds of the delay threshold. */
    static final long DELAY_MIN_NANOS = 4_000_000L;
    static final long DELAY_MAX_NANOS = 16_000_000L;

    private boolean found;
    private long delayMin;
    private long roundStart;
    private long lastAck;
    private int endSeq;
    private long currRtt;
    private int samples;
    private boolean started;

    /**
     * An ACK in slow start with its RTT sample ({@code rttSample} < 0 when it gave none); may end
     * slow start by setting ssthresh to cwnd.
     */
    void onAck(Tcb tcb, long rttSample, long now) {
        if (rttSample < 0) {
            return;
        }
        long delay = Math.max(rttSample, 1);
        if (delayMin == 0 || delay < delayMin) {
            delayMin = delay;
        }
        if (!started) {
            startRound(tcb, now);
        }
        if (found || tcb.cwnd >= tcb.ssthresh || tcb.cwnd < LOW_WINDOW * tcb.effectiveMss()) {
            return;
        }
        if (Seq.gt(tcb.sndUna, endSeq)) {
            startRound(tcb, now);
        }
        if (ackTrainCoversThePath(now) || delayIncreased(delay)) {
            found = true;
            tcb.ssthresh = tcb.cwnd;
        }
    }

    /** Linux bictcp_hystart_reset(): a new round ends when what is in flight now is acknowledged. */
    private void startRound(Tcb tcb, long now) {
        started = true;
        roundStart = now;
        lastAck = now;
        endSeq = tcb.sndNxt;
        currRtt = Long.MAX_VALUE;
        samples = 0;
    }

    /** Linux HYSTART_ACK_TRAIN without pacing: the train has lasted more than delay_min / 2. */
    private boolean ackTrainCoversThePath(long now) {
        if (now - lastAck > ACK_DELTA_NANOS) {
            return false;
        }
        lastAck = now;
        return now - roundStart > delayMin / 2;
    }

    /** Linux HYSTART_DELAY: the round's minimum RTT over its first samples against delay_min. */
    private boolean delayIncreased(long delay) {
        currRtt = Math.min(currRtt, delay);
        if (samples < MIN_SAMPLES) {
            samples++;
            return false;
        }
        return currRtt > delayMin + Math.clamp(delayMin >> 3, DELAY_MIN_NANOS, DELAY_MAX_NANOS);
    }

    /**
     * Linux bictcp_reset() on a loss timeout: detection starts over in the next slow start. tcpsim
     * also starts over after a restart after idle, which Linux does not.
     */
    void reset() {
        found = false;
        started = false;
    }
}
