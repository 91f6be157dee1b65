package io.tcpsim.drill;

import java.util.List;
import java.util.Map;

/**
 * A parsed packetdrill script: its {@code --name=value} options and its events in file order.
 *
 * @param file    the name errors and results use
 * @param options the options as written (without the leading "--")
 * @param events  every timed line: packets, calls, shell commands, {@code %{ }%} blocks
 */
public record Script(String file, Map<String, String> options, List<Event> events) {

    public Script {
        options = Map.copyOf(options);
        events = List.copyOf(events);
    }

    /** An option's value, or {@code otherwise} when the script does not set it. */
    String option(String name, String otherwise) {
        return options.getOrDefault(name, otherwise);
    }
}
