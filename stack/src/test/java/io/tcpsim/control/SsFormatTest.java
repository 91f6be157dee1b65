package io.tcpsim.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tcpsim.tcp.TcpTimer;
import org.junit.jupiter.api.Test;

/** The number formats ss uses: C's %g for milliseconds and iproute2's print_ms_timer(). */
class SsFormatTest {

    @Test
    void gKeepsSixSignificantDigitsWithoutTrailingZeros() {
        assertEquals("204", InfoLine.g(204.0));
        assertEquals("0.016", InfoLine.g(0.016));
        assertEquals("0.5", InfoLine.g(0.5));
        assertEquals("1.23457e+06", InfoLine.g(1_234_567.0));
        assertEquals("1e-05", InfoLine.g(0.00001));
        assertEquals("0", InfoLine.g(0));
    }

    @Test
    void msTimerPrintsLikeIproute2() {
        assertEquals("200ms", SocketTable.msTimer(200));
        assertEquals("1.500ms", SocketTable.msTimer(1_500));
        assertEquals("12sec", SocketTable.msTimer(12_345));
        assertEquals("59sec", SocketTable.msTimer(59_999));
        assertEquals("1min", SocketTable.msTimer(60_000));
        assertEquals("1min30sec", SocketTable.msTimer(90_500));
        assertEquals("12min", SocketTable.msTimer(12 * 60_000 + 5_000));
    }

    @Test
    void timerColumnNamesTheKindTheTimeLeftAndTheCount() {
        assertEquals(" timer:(on,200ms,2)", SocketTable.timer(new TcpTimer(TcpTimer.Kind.ON, 200_000_000L, 2)));
        assertEquals(" timer:(persist,1.600ms,3)", SocketTable.timer(new TcpTimer(TcpTimer.Kind.PERSIST, 1_600_000_000L, 3)));
        assertEquals("", SocketTable.timer(TcpTimer.OFF));
    }
}
