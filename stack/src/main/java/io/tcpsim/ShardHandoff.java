package io.tcpsim;

import io.tcpsim.tcp.StrayRoute;
import io.tcpsim.time.Clock;
import io.tcpsim.wire.IpAddress;
import io.tcpsim.wire.TcpRepr;

/**
 * The {@link StrayRoute} of one shard of {@link StackShards}: a segment the shard has no connection
 * for is copied and offered to the next shard, and so round, on each one's stack thread
 * ({@link NetStack#execute}); the shard that owns its 4-tuple takes it, and its reply, written on its
 * queue, pins the flow back to it ({@code tun_flow_update()}); a SYN goes to the first shard that
 * listens on its port when the shard it landed on does not (a socket listening on one shard only). When no shard owns it, it comes back
 * to the shard that received it and is a stray there (listener or RST), as on one stack. Only
 * segments without a local connection travel, so the common path costs nothing.
 */
final class ShardHandoff implements StrayRoute {

    private final StackShards shards;
    private final int self;
    private final Clock clock;

    ShardHandoff(StackShards shards, int self, Clock clock) {
        this.shards = shards;
        this.self = self;
        this.clock = clock;
    }

    @Override
    public boolean divert(IpAddress srcAddr, IpAddress dstAddr, TcpRepr segment) {
        offer(next(self), srcAddr, dstAddr, segment.detached());
        return true;
    }

    private void offer(int shard, IpAddress srcAddr, IpAddress dstAddr, TcpRepr segment) {
        NetStack stack = shards.shard(shard);
        stack.execute(() -> {
            long now = clock.nanoTime();
            if (shard == self) {
                stack.tcp().inputStray(srcAddr, dstAddr, segment, now);
            } else if (stack.tcp().inputIfOwned(srcAddr, dstAddr, segment, now)) {
                shards.countHandOff();
            } else {
                offer(next(shard), srcAddr, dstAddr, segment);
            }
        });
    }

    private int next(int shard) {
        return (shard + 1) % shards.size();
    }
}
