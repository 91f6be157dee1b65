package io.tcpsim;

import io.tcpsim.link.LinkDevice;
import io.tcpsim.tcp.TcpConfig;
import io.tcpsim.time.Clock;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * One host over the queues of a multi-queue TUN: a {@link NetStack} per queue, each driven by its
 * own {@link StackLoop} thread, connections sharded by 4-tuple as the kernel steers them.
 *
 * <p>Linux's tun driver picks the queue of a packet it hands to user space in
 * {@code tun_automq_select_queue()}: the queue its flow table holds for the packet's symmetric
 * flow hash ({@code __skb_get_hash_symmetric()}), else {@code hash * numqueues >> 32}; and
 * {@code tun_get_user()} records, through {@code tun_flow_update()}, the queue each flow was last
 * WRITTEN from. So a SYN lands on a queue by hash, and the SYN-ACK its shard writes keeps the flow
 * there. But {@code tun_get_user()} records the flow only after {@code netif_receive_skb()} has run
 * the kernel's TCP, and the kernel's immediate answer to a write (the SYN-ACK to a shard's
 * {@code connect()}) is sent within that call, before the flow is known: it goes by hash, to
 * another shard for about half of the flows; later segments follow the flow table. Entries age out
 * after 3 s without a write ({@code TUN_FLOW_EXPIRE}, {@code tun_flow_cleanup()}) and the table
 * holds at most 4096 ({@code MAX_TAP_FLOWS}): segments go by hash again. A passive flow's hash is
 * its SYN's queue, so it stays; an active one's may not. Such segments are handed to the owning
 * shard ({@link ShardHandoff}), never answered with a RST ({@code MultiQueueTunTest} shows all three
 * cases on the running kernel).
 *
 * <p>The shards share the ISN and SYN-cookie secret ({@link StackConfig#isn()}); each has a slice of
 * the ephemeral port range, so that two shards never pick the same 4-tuple. Listeners and UDP
 * sockets belong to one shard: servers bind on every shard, as a {@code SO_REUSEPORT} group (a SYN
 * for a port that only one shard listens on is handed to it). ICMP, UDP and IPv6 are answered by
 * the shard on whose queue they arrive; UDP is not handed off. With one link this is exactly
 * one {@link NetStack} and one {@link StackLoop}, the stack untouched.
 */
public final class StackShards implements AutoCloseable {

    private final List<NetStack> stacks;
    private final List<StackLoop> loops = new ArrayList<>();
    private final LongAdder handedOff = new LongAdder();

    private StackShards(List<NetStack> stacks) {
        this.stacks = List.copyOf(stacks);
    }

    /** A stack on each of {@code links} (the queues of one TUN), started, each on its own thread. */
    public static StackShards start(List<LinkDevice> links, StackConfig config, Clock clock) {
        StackShards shards = create(links, config, clock);
        for (int i = 0; i < shards.size(); i++) {
            String name = shards.size() == 1 ? "tcpsim-stack" : "tcpsim-stack-" + i;
            shards.loops.add(StackLoop.start(shards.shard(i), clock, name));
        }
        return shards;
    }

    /** The stacks joined by their hand-offs, not started: each is polled by whoever drives it (tests). */
    static StackShards create(List<LinkDevice> links, StackConfig config, Clock clock) {
        List<NetStack> stacks = new ArrayList<>();
        for (int i = 0; i < links.size(); i++) {
            stacks.add(new NetStack(links.get(i), shardConfig(config, i, links.size())));
        }
        StackShards shards = new StackShards(stacks);
        if (stacks.size() > 1) {
            for (int i = 0; i < stacks.size(); i++) {
                stacks.get(i).tcp().setStrayRoute(new ShardHandoff(shards, i, clock));
            }
        }
        return shards;
    }

    /** Shard {@code index} of {@code count}: the same stack with its slice of the ephemeral ports. */
    static StackConfig shardConfig(StackConfig config, int index, int count) {
        if (count == 1) {
            return config;
        }
        TcpConfig tcp = config.tcp();
        int range = tcp.ephemeralHigh() - tcp.ephemeralLow() + 1;
        if (range < count) {
            throw new IllegalArgumentException("an ephemeral range of " + range + " ports cannot be split over "
                    + count + " shards");
        }
        int low = tcp.ephemeralLow() + index * (range / count);
        int high = index == count - 1 ? tcp.ephemeralHigh() : low + range / count - 1;
        return new StackConfig(config.address(), config.address6(), tcp.withEphemeralRange(low, high), config.isn());
    }

    public int size() {
        return stacks.size();
    }

    public NetStack shard(int index) {
        return stacks.get(index);
    }

    public List<NetStack> stacks() {
        return stacks;
    }

    /** Segments one shard received and another shard owned ({@link ShardHandoff}). */
    public long handedOff() {
        return handedOff.sum();
    }

    void countHandOff() {
        handedOff.increment();
    }

    /**
     * Bytes the stack threads have allocated so far (for the bench: nothing per packet, issue 8);
     * -1 once one of them has ended, when its count is gone.
     */
    public long allocatedBytes() {
        long sum = 0;
        for (StackLoop loop : loops) {
            long bytes = loop.allocatedBytes();
            if (bytes < 0) {
                return -1;
            }
            sum += bytes;
        }
        return sum;
    }

    /** Whether every stack thread runs; one stopped by a link error stops the host. */
    public boolean isRunning() {
        return loops.stream().allMatch(StackLoop::isRunning);
    }

    /** The link error that stopped a stack thread, or null. */
    public IOException failure() {
        return loops.stream().map(StackLoop::failure).filter(f -> f != null).findFirst().orElse(null);
    }

    /** Stops every stack thread (the stacks stay open: {@link #close} closes them). */
    public void stop() throws InterruptedException {
        for (StackLoop loop : loops) {
            loop.close();
        }
    }

    /** Stops every stack thread, then closes the stacks (and their links). */
    @Override
    public void close() throws IOException, InterruptedException {
        stop();
        IOException failure = null;
        for (NetStack stack : stacks) {
            try {
                stack.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
