package io.tcpsim.tcp;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The TCP MIB counters (RFC 4022 names, as nstat prints them) and the Linux extensions this layer
 * keeps, updated where Linux updates them. CurrEstab is a gauge; everything else only grows.
 */
public final class TcpCounters {
    long activeOpens;
    long passiveOpens;
    long attemptFails;
    long estabResets;
    long currEstab;
    long inSegs;
    long outSegs;
    long retransSegs;
    long inErrs;
    long outRsts;
    long listenOverflows;
    long listenDrops;
    long challengeAcks;
    long timeWaited;
    long timeouts;
    long fastRetransmits;
    long pawsEstab;
    long renoRecovery;
    long sackRecovery;
    long sackReneging;
    long sackDiscard;
    long dsackOldSent;
    long dsackOfoSent;
    long dsackRecv;
    long dsackOfoRecv;
    long lossProbes;
    long lossProbeRecovery;
    long lostRetransmit;
    long sackReorder;
    long ackSkippedChallenge;
    long memoryPressures;
    long abortOnMemory;
    long timeWaitOverflow;
    long rcvQDrop;
    long ofoDrop;
    long pruneCalled;
    long ofoPruned;
    long syncookiesSent;
    long syncookiesRecv;
    long syncookiesFailed;
    long reqQFullDoCookies;
    long reqQFullDrop;
    long inCsumErrors;
    private final long[] dropped = new long[TcpDrop.values().length];

    /** Counts a segment the IP layer rejected (bad checksum, truncated header): Linux TCP_MIB_INERRS. */
    public void countInError() {
        inErrs++;
    }

    /** Counts a checksum error: Linux TCP_MIB_CSUMERRORS, with TCP_MIB_INERRS (tcp_v4_rcv() csum_error). */
    public void countChecksumError() {
        inCsumErrors++;
        inErrs++;
    }

    void countDrop(TcpDrop reason) {
        dropped[reason.ordinal()]++;
    }

    /** Segments dropped for {@code reason}. */
    public long dropped(TcpDrop reason) {
        return dropped[reason.ordinal()];
    }

    /** Counter name (nstat's) to value, in a stable order. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("TcpActiveOpens", activeOpens);
        m.put("TcpPassiveOpens", passiveOpens);
        m.put("TcpAttemptFails", attemptFails);
        m.put("TcpEstabResets", estabResets);
        m.put("TcpCurrEstab", currEstab);
        m.put("TcpInSegs", inSegs);
        m.put("TcpOutSegs", outSegs);
        m.put("TcpRetransSegs", retransSegs);
        m.put("TcpInErrs", inErrs);
        m.put("TcpOutRsts", outRsts);
        m.put("TcpInCsumErrors", inCsumErrors); // Linux /proc/net/snmp's order
        m.put("TcpExtListenOverflows", listenOverflows);
        m.put("TcpExtListenDrops", listenDrops);
        m.put("TcpExtTCPChallengeACK", challengeAcks);
        m.put("TcpExtTW", timeWaited);
        m.put("TcpExtTCPTimeouts", timeouts);
        m.put("TcpExtTCPFastRetrans", fastRetransmits);
        m.put("TcpExtPAWSEstab", pawsEstab);
        m.put("TcpExtTCPRenoRecovery", renoRecovery);
        m.put("TcpExtTCPSackRecovery", sackRecovery);
        m.put("TcpExtTCPSACKReneging", sackReneging);
        m.put("TcpExtTCPSACKDiscard", sackDiscard);
        m.put("TcpExtTCPDSACKOldSent", dsackOldSent);
        m.put("TcpExtTCPDSACKOfoSent", dsackOfoSent);
        m.put("TcpExtTCPDSACKRecv", dsackRecv);
        m.put("TcpExtTCPDSACKOfoRecv", dsackOfoRecv);
        m.put("TcpExtTCPLossProbes", lossProbes);
        m.put("TcpExtTCPLossProbeRecovery", lossProbeRecovery);
        m.put("TcpExtTCPLostRetransmit", lostRetransmit);
        m.put("TcpExtTCPSACKReorder", sackReorder);
        m.put("TcpExtTCPACKSkippedChallenge", ackSkippedChallenge);
        m.put("TcpExtTCPMemoryPressures", memoryPressures);
        m.put("TcpExtTCPAbortOnMemory", abortOnMemory);
        m.put("TcpExtTCPTimeWaitOverflow", timeWaitOverflow);
        m.put("TcpExtTCPRcvQDrop", rcvQDrop);
        m.put("TcpExtTCPOFODrop", ofoDrop);
        m.put("TcpExtPruneCalled", pruneCalled);
        m.put("TcpExtOfoPruned", ofoPruned);
        m.put("TcpExtSyncookiesSent", syncookiesSent);
        m.put("TcpExtSyncookiesRecv", syncookiesRecv);
        m.put("TcpExtSyncookiesFailed", syncookiesFailed);
        m.put("TcpExtTCPReqQFullDoCookies", reqQFullDoCookies);
        m.put("TcpExtTCPReqQFullDrop", reqQFullDrop);
        for (TcpDrop reason : TcpDrop.values()) {
            if (dropped(reason) != 0) {
                m.put("TcpDrop." + reason.name(), dropped(reason));
            }
        }
        return m;
    }

    /** SYNs sent by connect(). */
    public long activeOpens() {
        return activeOpens;
    }

    /** Handshakes completed through a listener. */
    public long passiveOpens() {
        return passiveOpens;
    }

    /** SYN_SENT or SYN_RECEIVED connections that failed (RST, timeout, ICMP). */
    public long attemptFails() {
        return attemptFails;
    }

    /** ESTABLISHED or CLOSE_WAIT connections that went straight to CLOSED. */
    public long estabResets() {
        return estabResets;
    }

    /** Connections now in ESTABLISHED or CLOSE_WAIT. */
    public long currEstab() {
        return currEstab;
    }

    public long inSegs() {
        return inSegs;
    }

    /** Segments sent, retransmissions excluded (Linux __tcp_transmit_skb()). */
    public long outSegs() {
        return outSegs;
    }

    /** SYN, SYN-ACK, data and FIN retransmissions. */
    public long retransSegs() {
        return retransSegs;
    }

    public long inErrs() {
        return inErrs;
    }

    public long outRsts() {
        return outRsts;
    }

    public long listenOverflows() {
        return listenOverflows;
    }

    public long listenDrops() {
        return listenDrops;
    }

    public long challengeAcks() {
        return challengeAcks;
    }

    /** TIME_WAIT (and orphaned FIN_WAIT_2) connections whose timer ran out: Linux TcpExtTW. */
    public long timeWaited() {
        return timeWaited;
    }

    /** Retransmission timer expiries on synchronized connections: Linux TcpExtTCPTimeouts. */
    public long timeouts() {
        return timeouts;
    }

    /**
     * Segments sent again in fast recovery (three duplicate ACKs or a NewReno partial ACK; with
     * SACK, what RACK marked lost outside the after-RTO state): Linux TcpExtTCPFastRetrans.
     */
    public long fastRetransmits() {
        return fastRetransmits;
    }

    /** Segments dropped by PAWS (RFC 7323 §5.3) on a synchronized connection: Linux TcpExtPAWSEstab. */
    public long pawsEstab() {
        return pawsEstab;
    }

    /** Fast recoveries entered without SACK (NewReno, RFC 6582): Linux TcpExtTCPRenoRecovery. */
    public long renoRecovery() {
        return renoRecovery;
    }

    /** Fast recoveries entered with SACK (RACK found a loss): Linux TcpExtTCPSackRecovery. */
    public long sackRecovery() {
        return sackRecovery;
    }

    /** RTOs that found SND.UNA SACKed, so the peer dropped what it SACKed: Linux TcpExtTCPSACKReneging. */
    public long sackReneging() {
        return sackReneging;
    }

    /** SACK blocks ignored as invalid (outside SND.UNA..SND.NXT or reversed): Linux TcpExtTCPSACKDiscard. */
    public long sackDiscard() {
        return sackDiscard;
    }

    /** D-SACK blocks sent for data below RCV.NXT: Linux TcpExtTCPDSACKOldSent. */
    public long dsackOldSent() {
        return dsackOldSent;
    }

    /** D-SACK blocks sent for data held out of order: Linux TcpExtTCPDSACKOfoSent. */
    public long dsackOfoSent() {
        return dsackOfoSent;
    }

    /** D-SACK blocks received below the cumulative ACK (RFC 2883 §4): Linux TcpExtTCPDSACKRecv. */
    public long dsackRecv() {
        return dsackRecv;
    }

    /** D-SACK blocks received inside the second SACK block: Linux TcpExtTCPDSACKOfoRecv. */
    public long dsackOfoRecv() {
        return dsackOfoRecv;
    }

    /** Tail loss probes sent (RFC 8985 §7): Linux TcpExtTCPLossProbes. */
    public long lossProbes() {
        return lossProbes;
    }

    /** Losses a retransmitted tail loss probe repaired (RFC 8985 §7.4): Linux TcpExtTCPLossProbeRecovery. */
    public long lossProbeRecovery() {
        return lossProbeRecovery;
    }

    /** Retransmissions found lost again (by RACK, or an RTO): Linux TcpExtTCPLostRetransmit. */
    public long lostRetransmit() {
        return lostRetransmit;
    }

    /** Reordering seen through SACK (a segment delivered below what was SACKed): Linux TcpExtTCPSACKReorder. */
    public long sackReorder() {
        return sackReorder;
    }

    /** Challenge ACKs the per-connection rate limit held back: Linux TcpExtTCPACKSkippedChallenge. */
    public long ackSkippedChallenge() {
        return ackSkippedChallenge;
    }

    /** Times the layer entered memory pressure (tcp_mem): Linux TcpExtTCPMemoryPressures. */
    public long memoryPressures() {
        return memoryPressures;
    }

    /** Connections closed instead of entering TIME_WAIT, tcp_max_tw_buckets being reached: Linux TcpExtTCPTimeWaitOverflow. */
    public long timeWaitOverflow() {
        return timeWaitOverflow;
    }

    /** Connections reset on close() for too many orphans or no memory: Linux TcpExtTCPAbortOnMemory. */
    public long abortOnMemory() {
        return abortOnMemory;
    }

    /** In-order data dropped because tcp_mem's max was reached: Linux TcpExtTCPRcvQDrop. */
    public long rcvQDrop() {
        return rcvQDrop;
    }

    /** Out-of-order data dropped for memory: Linux TcpExtTCPOFODrop. */
    public long ofoDrop() {
        return ofoDrop;
    }

    /** Times a connection's queues were pruned to make room: Linux TcpExtPruneCalled. */
    public long pruneCalled() {
        return pruneCalled;
    }

    /** Times out-of-order data was dropped from the queue's right end: Linux TcpExtOfoPruned. */
    public long ofoPruned() {
        return ofoPruned;
    }

    /** SYN-ACKs sent with a SYN cookie: Linux TcpExtSyncookiesSent. */
    public long syncookiesSent() {
        return syncookiesSent;
    }

    /** Final ACKs whose cookie was valid: Linux TcpExtSyncookiesRecv. */
    public long syncookiesRecv() {
        return syncookiesRecv;
    }

    /** Final ACKs whose cookie was forged or too old: Linux TcpExtSyncookiesFailed. */
    public long syncookiesFailed() {
        return syncookiesFailed;
    }

    /** SYNs answered with a cookie because the SYN queue was full or cookies always on: TcpExtTCPReqQFullDoCookies. */
    public long reqQFullDoCookies() {
        return reqQFullDoCookies;
    }

    /** SYNs dropped because the SYN queue was full and cookies off: Linux TcpExtTCPReqQFullDrop. */
    public long reqQFullDrop() {
        return reqQFullDrop;
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
