package io.tcpsim.drill;

/**
 * The TCP_INFO fields a {@code %{ assert ... }%} block may read, taken from the stack at that
 * moment (Linux struct tcp_info names and units).
 *
 * @param state   tcpi_state (Linux tcp_states.h numbers)
 * @param rto     tcpi_rto, microseconds
 * @param sndMss  tcpi_snd_mss: the send MSS less the timestamps option when in use
 * @param advMss  tcpi_advmss: the MSS the stack announces
 */
record TcpInfo(int state, long rto, int sndMss, int advMss) {

    /** A field by its tcp_info name; null for one not kept here. */
    Long field(String name) {
        return switch (name) {
            case "tcpi_state" -> (long) state;
            case "tcpi_rto" -> rto;
            case "tcpi_snd_mss" -> (long) sndMss;
            case "tcpi_advmss" -> (long) advMss;
            default -> null;
        };
    }
}
