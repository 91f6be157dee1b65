package io.tcpsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.link.LinkDevice;
import io.tcpsim.link.QueueLink;
import io.tcpsim.tcp.TcpConnection;
import io.tcpsim.tcp.TcpDrop;
import io.tcpsim.tcp.TcpState;
import io.tcpsim.time.VirtualClock;
import io.tcpsim.wire.Ipv4Address;
import io.tcpsim.wire.Ipv4Packet;
import io.tcpsim.wire.Ipv4Repr;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two shards of one host on two queues, driven by hand on a virtual clock, and a client stack:
 * the test plays the kernel's queue choice, so it can deliver a segment to the shard that does
 * not own its connection, as the tun driver does once a flow entry has aged out.
 */
class StackShardsTest {

    private static final int CLIENT = Ipv4Address.parse("10.0.0.1");
    private static final int HOST = Ipv4Address.parse("10.0.0.2");
    private static final int PORT = 7;

    private final VirtualClock clock = new VirtualClock();
    private final QueueLink clientLink = new QueueLink(1500);
    private final NetStack client = new NetStack(clientLink, StackConfig.linuxDefaults(CLIENT, 1500));
    private final List<QueueLink> queues = List.of(new QueueLink(1500), new QueueLink(1500));
    private final StackShards shards = StackShards.create(List.<LinkDevice>copyOf(queues),
            StackConfig.linuxDefaults(HOST, 1500), clock);

    @AfterEach
    void close() throws Exception {
        client.close();
        shards.close();
    }

    @Test
    void aSegmentOnTheWrongQueueReachesTheShardThatOwnsItsConnectionAndIsNotReset() throws IOException {
        listenOnEveryShard();
        TcpConnection c = client.tcp().connect(CLIENT, HOST, PORT, clock.nanoTime());
        handshakeOn(0);
        TcpConnection served = shards.shard(0).tcp().connections().getFirst();
        assertEquals(TcpState.ESTABLISHED, served.state());

        byte[] data = "through the other queue".getBytes(StandardCharsets.US_ASCII);
        c.write(data, 0, data.length, clock.nanoTime());
        clientToQueue(1);
        assertEquals(List.of(), queues.get(1).drain(), "shard 1 answers nothing for shard 0's connection");
        pollShard(0);

        assertEquals(data.length, served.readable());
        assertEquals(1, shards.handedOff());
        assertEquals(0, shards.shard(1).tcp().counters().outRsts());
        assertEquals(0, shards.shard(1).tcp().counters().dropped(TcpDrop.NO_SOCKET));
        queueToClient(0);
        assertEquals(TcpState.ESTABLISHED, c.state());
        assertEquals(c.sndNxt(), c.sndUna(), "shard 0 acknowledged the data from its own queue");
    }

    @Test
    void aSegmentNoShardOwnsIsResetByTheShardThatReceivedIt() throws IOException {
        listenOnEveryShard();
        TcpRepr stray = new TcpRepr(40000, PORT, 1000, 5000, TcpPacket.ACK, 502, 0, List.of(), TcpRepr.NO_PAYLOAD);
        queues.get(1).inject(datagram(stray));
        pollShard(1);
        pollShard(0);
        assertEquals(List.of(), queues.get(0).drain());
        pollShard(1);

        List<byte[]> out = queues.get(1).drain();
        assertEquals(1, out.size());
        assertEquals(TcpPacket.RST, tcp(out.getFirst()).flags());
        assertEquals(0, shards.handedOff());
        assertEquals(1, shards.shard(1).tcp().counters().outRsts());
    }

    @Test
    void aSynGoesToTheListenerOfTheShardItArrivesOn() throws IOException {
        listenOnEveryShard();
        client.tcp().connect(CLIENT, HOST, PORT, clock.nanoTime());
        handshakeOn(1);
        assertEquals(List.of(), shards.shard(0).tcp().connections());
        assertEquals(TcpState.ESTABLISHED, shards.shard(1).tcp().connections().getFirst().state());
    }

    @Test
    void aSynForAPortOnlyAnotherShardListensOnIsHandedToThatShardsListener() throws IOException {
        shards.shard(0).tcp().listen(0, PORT, 16);
        TcpConnection c = client.tcp().connect(CLIENT, HOST, PORT, clock.nanoTime());
        clientToQueue(1);
        assertEquals(List.of(), queues.get(1).drain(), "no RST from the shard without the listener");
        pollShard(0);
        queueToClient(0);
        assertEquals(TcpState.ESTABLISHED, c.state());
        assertEquals(1, shards.handedOff());
    }

    @Test
    void eachShardPicksEphemeralPortsFromItsOwnSliceOfTheRange() {
        StackConfig host = StackConfig.linuxDefaults(HOST, 1500);
        StackConfig first = StackShards.shardConfig(host, 0, 2);
        StackConfig second = StackShards.shardConfig(host, 1, 2);
        assertEquals(host.tcp().ephemeralLow(), first.tcp().ephemeralLow());
        assertEquals(first.tcp().ephemeralHigh() + 1, second.tcp().ephemeralLow());
        assertEquals(host.tcp().ephemeralHigh(), second.tcp().ephemeralHigh());
        assertTrue(first.isn() == host.isn() && second.isn() == host.isn(), "one ISN and SYN-cookie secret");
        assertEquals(host, StackShards.shardConfig(host, 0, 1));
        StackConfig tiny = new StackConfig(HOST, host.tcp().withEphemeralRange(5000, 5000), host.isn());
        assertThrows(IllegalArgumentException.class, () -> StackShards.shardConfig(tiny, 0, 2));
    }

    private void listenOnEveryShard() {
        for (NetStack shard : shards.stacks()) {
            shard.tcp().listen(0, PORT, 16);
        }
    }

    /** SYN to queue {@code q}, its SYN-ACK back, the ACK to the same queue. */
    private void handshakeOn(int q) throws IOException {
        clientToQueue(q);
        queueToClient(q);
        clientToQueue(q);
    }

    private void clientToQueue(int q) throws IOException {
        client.poll(clock);
        clientLink.drain().forEach(queues.get(q)::inject);
        pollShard(q);
    }

    private void queueToClient(int q) throws IOException {
        queues.get(q).drain().forEach(clientLink::inject);
        client.poll(clock);
    }

    private void pollShard(int q) throws IOException {
        shards.shard(q).poll(clock);
    }

    private static byte[] datagram(TcpRepr segment) {
        Ipv4Repr ip = Ipv4Repr.of(CLIENT, HOST, Ipv4Packet.PROTO_TCP, 64, segment.bufferLength());
        MemorySegment buffer = MemorySegment.ofArray(new byte[ip.bufferLength()]);
        ip.emit(buffer);
        segment.emit(buffer.asSlice(ip.headerLength()), CLIENT, HOST);
        return buffer.toArray(ValueLayout.JAVA_BYTE);
    }

    private static TcpRepr tcp(byte[] packet) {
        Ipv4Packet ip = Ipv4Packet.checked(MemorySegment.ofArray(packet));
        return TcpRepr.parse(TcpPacket.checked(ip.payload()), ip.srcAddr(), ip.dstAddr());
    }
}
