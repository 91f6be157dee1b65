package io.tcpsim.drill;

/**
 * One timed line of a script.
 *
 * @param line   where it starts in the file
 * @param timing when it happens
 * @param action what happens
 */
public record Event(int line, Timing timing, Action action) {
}
