package io.tcpsim.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.NetStack;
import io.tcpsim.StackConfig;
import io.tcpsim.StackLoop;
import io.tcpsim.link.tun.TunNetwork;
import io.tcpsim.socket.SocketApi;
import io.tcpsim.testsupport.RequiresTun;
import io.tcpsim.time.SystemClock;
import io.tcpsim.tun.ProcessResult;
import io.tcpsim.wire.Ipv4Address;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The sample servers on a live tcpsim, driven by the kernel's clients (curl, OpenBSD nc) in the
 * test's namespace; the namespace is deleted even when a step fails.
 */
@RequiresTun
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SampleServersTest {
    private static final int KERNEL = Ipv4Address.parse("10.0.0.1");
    private static final int STACK = Ipv4Address.parse("10.0.0.2");
    private static final Pattern CTIME = Pattern.compile("[A-Z][a-z]{2} [A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\d{4}\r\n");
    private static TunNetwork network;
    private static NetStack stack;
    private static StackLoop loop;

    @BeforeAll
    static void start() throws Exception {
        TunNetwork.reapStale("tcpsim-a");
        network = TunNetwork.create(new TunNetwork.Config(TunNetwork.uniqueNamespace("tcpsim-a"), "tun0", KERNEL, STACK, 1500));
        SystemClock clock = new SystemClock();
        stack = new NetStack(network.link(), StackConfig.linuxDefaults(STACK, 1500));
        loop = StackLoop.start(stack, clock);
        List<Service.On> all = Arrays.stream(Service.values()).map(s -> new Service.On(s, s.defaultPort())).toList();
        SampleServers.start(new SocketApi(stack, clock, STACK), 0, all);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (loop != null) {
                loop.close();
                stack.close();
            }
        } finally {
            if (network != null) {
                network.close();
            }
        }
    }

    private static ProcessResult sh(String script) throws IOException {
        return network.exec("bash", "-c", script);
    }

    @Test
    void echo_ncSendsLinesAndEof_getsThemBack() throws IOException {
        ProcessResult r = sh("printf 'one\\ntwo\\n' | timeout 10 nc -N 10.0.0.2 7");
        assertEquals("one\ntwo\n", r.stdout(), r.stderr());
        assertEquals(0, r.exitCode());
    }

    @Test
    void echo_megabyteThroughNc_comesBackIntact() throws IOException {
        ProcessResult r = sh("head -c 1000000 /dev/urandom > /tmp/$$.in; timeout 20 nc -N 10.0.0.2 7 < /tmp/$$.in "
                + "| cmp - /tmp/$$.in && echo same; rm -f /tmp/$$.in");
        assertEquals("same\n", r.stdout(), r.stderr());
    }

    @Test
    void discard_ncSendsHalfAMegabyte_nothingComesBackAndNcExits() throws IOException {
        ProcessResult r = sh("head -c 500000 /dev/zero | timeout 10 nc -N 10.0.0.2 9 | wc -c");
        assertEquals("0", r.stdout().strip(), r.stderr());
    }

    @Test
    void daytime_ncConnects_oneCtimeLineThenClose() throws IOException {
        ProcessResult r = sh("timeout 10 nc -d 10.0.0.2 13");
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(CTIME.matcher(r.stdout()).matches(), "one ctime(3) line: '" + r.stdout() + "'");
    }

    @Test
    void chargen_ncReadsTwoLines_rfc864Pattern() throws IOException {
        ProcessResult r = sh("timeout 10 nc -d 10.0.0.2 19 | head -c 148");
        String first = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefg";
        assertEquals(first + "\r\n" + first.substring(1) + "h\r\n", r.stdout(), r.stderr());
    }

    @Test
    void chargen_ncReadsAMegabyte_streamsWithoutEnd() throws IOException {
        ProcessResult r = sh("timeout 10 nc -d 10.0.0.2 19 | head -c 1000000 | wc -c");
        assertEquals("1000000", r.stdout().strip(), r.stderr());
    }

    @Test
    void echoUdp_ncSendsThreeDatagrams_getsEachBackInOrder() throws IOException {
        ProcessResult r = sh("(printf 'one\\n'; sleep 0.3; printf 'two\\n'; sleep 0.3; printf 'three\\n'; sleep 1) "
                + "| timeout 10 nc -u -W 3 10.0.0.2 7");
        assertEquals("one\ntwo\nthree\n", r.stdout(), r.stderr());
    }

    /** Each datagram comes back alone: sizes and contents checked on the kernel side, by recvfrom. */
    @Test
    void echoUdp_datagramsOfManySizes_comeBackOneForOne() throws IOException {
        ProcessResult r = sh("/usr/bin/python3 -c \"\n"
                + "import socket, os\n"
                + "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(5)\n"
                + "ok = 0\n"
                + "for n in (0, 1, 100, 1472, 1000, 7):\n"
                + "    data = os.urandom(n); s.sendto(data, ('10.0.0.2', 7))\n"
                + "    got, src = s.recvfrom(65535)\n"
                + "    ok += got == data and src == ('10.0.0.2', 7)\n"
                + "print(ok)\n\"");
        assertEquals("6", r.stdout().strip(), r.stderr());
    }

    @Test
    void daytimeUdp_anyDatagram_answeredWithOneCtimeLine() throws IOException {
        ProcessResult r = sh("printf 'x' | timeout 10 nc -u -W 1 10.0.0.2 13");
        assertTrue(CTIME.matcher(r.stdout()).matches(), "one ctime(3) line: '" + r.stdout() + "' " + r.stderr());
    }

    /** RFC 864 over UDP: each answer is 0..512 characters of the pattern, from its start. */
    @Test
    void chargenUdp_answersAreRandomLengthPrefixesOfThePattern() throws IOException {
        ProcessResult r = sh("/usr/bin/python3 -c \"\n"
                + "import socket\n"
                + "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(5)\n"
                + "line = bytes(range(32, 127)) * 2\n"
                + "pattern = b''.join(line[i:i + 72] + b'\\\\r\\\\n' for i in range(95))\n"
                + "sizes = set(); good = 0\n"
                + "for i in range(20):\n"
                + "    s.sendto(b'x', ('10.0.0.2', 19))\n"
                + "    got = s.recv(65535); sizes.add(len(got))\n"
                + "    good += len(got) <= 512 and pattern.startswith(got)\n"
                + "print(good, len(sizes) > 1)\n\"");
        assertEquals("20 True", r.stdout().strip(), r.stderr());
    }

    @Test
    void discardUdp_datagramsGetNoAnswer() throws IOException {
        ProcessResult r = sh("printf 'x' | timeout 5 nc -u -w 1 10.0.0.2 9 | wc -c");
        assertEquals("0", r.stdout().strip(), r.stderr());
    }

    @Test
    void http_curlMakesAThousandRequestsOnOneConnection_allOk() throws IOException {
        ProcessResult r = sh("timeout 60 curl -s -o /dev/null -w '%{http_code} %{num_connects}\\n' "
                + "'http://10.0.0.2/?n=[1-1000]'");
        List<String> lines = r.stdout().lines().toList();
        assertEquals(1000, lines.stream().filter(l -> l.startsWith("200 ")).count(), r.stdout() + r.stderr());
        assertEquals(1, lines.stream().mapToInt(l -> Integer.parseInt(l.split(" ")[1])).sum(), "keep-alive: one connect");
    }

    @Test
    void http_hundredConcurrentKeepAliveClientsOfHundredRequests_allOk() throws IOException {
        ProcessResult r = sh("for i in $(seq 100); do timeout 60 curl -s -o /dev/null "
                + "-w '%{http_code} %{num_connects}\\n' 'http://10.0.0.2/?n=[1-100]' > /tmp/$$.$i & done; wait; "
                + "cat /tmp/$$.*; rm -f /tmp/$$.*");
        List<String> lines = r.stdout().lines().toList();
        assertEquals(10_000, lines.stream().filter(l -> l.startsWith("200 ")).count(), r.stderr());
        assertEquals(100, lines.stream().mapToInt(l -> Integer.parseInt(l.split(" ")[1])).sum(), "one connect per client");
    }

    @Test
    void http_statusPage_listsTheRequestingConnectionAndAnOpenEchoConnection() throws IOException {
        ProcessResult r = sh("(sleep 3 | timeout 10 nc -N 10.0.0.2 7 > /dev/null 2>&1 &) ; sleep 0.5; timeout 10 curl -s http://10.0.0.2/");
        assertTrue(r.stdout().contains("(this one)</td><td>http</td><td>10.0.0.1:"), r.stdout());
        assertTrue(r.stdout().contains("</td><td>echo</td><td>10.0.0.1:"), r.stdout());
    }

    @Test
    void http_unknownPathAndPost_404And405WithAllow() throws IOException {
        ProcessResult r = sh("curl -s -o /dev/null -w '%{http_code}\\n' http://10.0.0.2/nope; "
                + "curl -s -i -X POST -d x http://10.0.0.2/ | grep -i -e '^HTTP' -e '^allow'");
        assertEquals(List.of("404", "HTTP/1.1 405 Method Not Allowed", "Allow: GET, HEAD"),
                r.stdout().lines().map(String::strip).toList(), r.stderr());
    }

    @Test
    void http_malformedRequestLine_400ThenClose() throws IOException {
        ProcessResult r = sh("printf 'HELLO\\r\\n\\r\\n' | timeout 10 nc 10.0.0.2 80 | head -1");
        assertEquals("HTTP/1.1 400 Bad Request", r.stdout().strip(), r.stderr());
    }
}
