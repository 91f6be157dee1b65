package io.tcpsim.app;

import io.tcpsim.socket.SocketApi;
import java.io.IOException;

/** Serves one accepted connection on its own virtual thread; the caller closes {@code fd} afterwards. */
@FunctionalInterface
interface ConnectionHandler {
    void serve(SocketApi api, int fd) throws IOException;
}
