package io.tcpsim.tun;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What to ask {@code TUNSETIFF} for. The device is always {@code IFF_TUN | IFF_NO_PI}: raw IP
 * packets, no Ethernet header, no 4-byte packet-information prefix.
 *
 * @param name requested interface name; empty lets the kernel pick {@code tunN}; a
 *     {@code %d} in it is replaced by the kernel with the first free number
 * @param vnetHeader {@code IFF_VNET_HDR}: every packet is preceded by a {@link VnetHeader}
 * @param multiQueue {@code IFF_MULTI_QUEUE}: more descriptors may attach to the same name, one
 *     queue each
 * @param nonBlocking open the descriptor with {@code O_NONBLOCK}
 */
public record TunConfig(String name, boolean vnetHeader, boolean multiQueue, boolean nonBlocking) {
    /** {@code IFNAMSIZ} from {@code <linux/if.h>}, including the terminating NUL. */
    static final int IFNAMSIZ = 16;

    /**
     * Validates the name like {@code dev_valid_name()} in {@code net/core/dev.c}: at most 15
     * bytes, no {@code '/'}, {@code ':'} or whitespace, not {@code "."} or {@code ".."}.
     *
     * @throws IllegalArgumentException if the kernel would reject the name
     */
    public TunConfig {
        Objects.requireNonNull(name, "name");
        requireValidName(name);
    }

    /** @return a blocking, plain (no vnet header, single-queue) configuration named {@code name} */
    public static TunConfig named(String name) {
        return new TunConfig(name, false, false, false);
    }

    /** @return a blocking, plain configuration whose name the kernel picks ({@code tunN}) */
    public static TunConfig kernelNamed() {
        return named("");
    }

    /** @return this configuration with {@link #vnetHeader()} set to {@code on} */
    public TunConfig withVnetHeader(boolean on) {
        return new TunConfig(name, on, multiQueue, nonBlocking);
    }

    /** @return this configuration with {@link #multiQueue()} set to {@code on} */
    public TunConfig withMultiQueue(boolean on) {
        return new TunConfig(name, vnetHeader, on, nonBlocking);
    }

    /** @return this configuration with {@link #nonBlocking()} set to {@code on} */
    public TunConfig withNonBlocking(boolean on) {
        return new TunConfig(name, vnetHeader, multiQueue, on);
    }

    private static void requireValidName(String name) {
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes >= IFNAMSIZ) {
            throw new IllegalArgumentException("interface name '" + name + "' is " + bytes
                    + " bytes long: Linux allows at most " + (IFNAMSIZ - 1) + " (IFNAMSIZ, <linux/if.h>)");
        }
        if (name.equals(".") || name.equals("..")
                || name.chars().anyMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c) || c == 0)) {
            throw new IllegalArgumentException("interface name '" + name
                    + "' is invalid: it must not be '.' or '..' nor contain '/', ':', NUL or whitespace");
        }
    }
}
