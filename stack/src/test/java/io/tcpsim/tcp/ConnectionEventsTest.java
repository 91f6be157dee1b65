package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.LOCAL;
import static io.tcpsim.tcp.TcbHarness.LOCAL_PORT;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.SYN_WIN;
import static io.tcpsim.tcp.TcbHarness.WIN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The event hooks an application on the stack thread uses: an echo server written on them. */
class ConnectionEventsTest {

    /** Echoes what it reads; closes after the peer's FIN. */
    private static final class Echo implements ConnectionListener {
        final List<String> closed = new ArrayList<>();

        @Override
        public void readable(TcpConnection c) {
            byte[] buf = new byte[4096];
            int n;
            while ((n = c.read(buf, 0, buf.length, 0)) > 0) {
                c.write(buf, 0, n, 0);
            }
            if (n < 0) {
                c.close(0);
            }
        }

        @Override
        public void closed(TcpConnection c, TcpError error) {
            closed.add(String.valueOf(error));
        }
    }

    @Test
    void echoServerOnTheStackThreadEchoesAndClosesAfterThePeer() {
        TcbHarness h = new TcbHarness();
        TcpListener l = h.layer.listen(LOCAL, LOCAL_PORT, 8);
        Echo echo = new Echo();
        l.setAcceptHandler(listener -> listener.accept().setListener(echo));
        h.send(seg().syn().seq(P).win(65535).mss(1460).nop().wscale(7));
        int iss = h.layer.connection(h.tuple()).iss();
        h.expect(seg().syn().seq(iss).ack(P + 1).win(SYN_WIN).mss(1460).nop().wscale(7));
        h.send(seg().seq(P + 1).ack(iss + 1).win(WIN));
        h.send(seg().psh().seq(P + 1).ack(iss + 1).win(WIN).payload("hello"));
        h.expect(seg().seq(iss + 1).ack(P + 6).win(WIN));
        h.expect(seg().psh().seq(iss + 1).ack(P + 6).win(WIN).payload("hello"));
        h.send(seg().fin().seq(P + 6).ack(iss + 6).win(WIN));
        h.expect(seg().fin().seq(iss + 6).ack(P + 7).win(WIN)); // Linux tcp_fin(): our FIN carries the ACK
        h.send(seg().seq(P + 7).ack(iss + 7).win(WIN));
        h.expectNothing();
        assertEquals(List.of("null"), echo.closed);
        assertEquals(0, h.layer.connections().size());
    }

    @Test
    void closedIsSignalledOnceWhenEnteringTimeWait() {
        TcbHarness h = new TcbHarness().timeWait();
        h.send(seg().fin().seq(P + 1).ack(h.iss + 2).win(WIN));
        h.drain();
        h.at(TcbHarness.secs(60));
        assertEquals(List.of("readable", "closed null"), h.events);
    }

    @Test
    void writableIsSignalledWhenAnAckFreesSpace() {
        TcbHarness h = new TcbHarness().connected();
        h.write("abc");
        h.drain();
        h.send(seg().seq(P + 1).ack(h.iss + 2).win(WIN));
        h.send(seg().seq(P + 1).ack(h.iss + 4).win(WIN));
        assertEquals(List.of("writable", "writable"), h.events);
    }

    @Test
    void handlerMayCloseFromInsideAnEvent() {
        TcbHarness h = new TcbHarness().established();
        h.conn.setListener(new ConnectionListener() {
            @Override
            public void readable(TcpConnection c) {
                c.abort(0);
            }
        });
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(WIN).payload("x"));
        h.expect(seg().seq(h.iss + 1).ack(P + 2).win(WIN));
        h.expect(seg().rst().seq(h.iss + 1).ack(P + 2).win(WIN));
        h.expectState(TcpState.CLOSED);
    }
}
