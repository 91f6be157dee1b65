package io.tcpsim.drill;

import io.tcpsim.NetStack;
import io.tcpsim.socket.StackExecutor;
import io.tcpsim.socket.SystemFiles;
import io.tcpsim.tcp.TcpLayer;
import io.tcpsim.udp.UdpLayer;

/** The stack as the script's calls see it: their tasks wait in the {@link CallScheduler} for the runner. */
final class DrillExecutor implements StackExecutor {
    private final NetStack stack;
    private final CallScheduler scheduler;

    DrillExecutor(NetStack stack, CallScheduler scheduler) {
        this.stack = stack;
        this.scheduler = scheduler;
    }

    @Override
    public void execute(Runnable task) {
        scheduler.execute(task);
    }

    @Override
    public TcpLayer tcp() {
        return stack.tcp();
    }

    @Override
    public UdpLayer udp() {
        return stack.udp();
    }

    @Override
    public SystemFiles systemFiles() {
        return stack.systemFiles();
    }
}
