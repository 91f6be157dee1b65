package io.tcpsim.socket;

import io.tcpsim.tcp.TcpLayer;
import io.tcpsim.udp.UdpLayer;
import java.util.concurrent.Executor;

/**
 * The stack thread as the socket layer sees it: TCP and UDP state is confined to that thread, so every
 * socket call runs its TCP part as a task there. Implemented by {@code io.tcpsim.NetStack}. An
 * {@link Executor}, so that a caller waits for a result on it with
 * {@code CompletableFuture.supplyAsync(work, stack)}.
 */
public interface StackExecutor extends Executor {

    /** Runs {@code task} on the stack thread soon, waking it if it sleeps; any thread may call it. */
    @Override
    void execute(Runnable task);

    /** The TCP layer; only for tasks running on the stack thread. */
    TcpLayer tcp();

    /** The UDP layer; only for tasks running on the stack thread. */
    UdpLayer udp();

    /** The stack's open files, which every socket API on it shares (fs.file-max); any thread may use it. */
    SystemFiles systemFiles();
}
