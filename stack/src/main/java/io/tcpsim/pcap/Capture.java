package io.tcpsim.pcap;

import java.nio.file.Path;
import java.util.List;

/**
 * The frames of a capture file that passed the filter, in file order.
 *
 * @param file         where it was read from
 * @param linkType     the file's link type (LINKTYPE_ value)
 * @param framesInFile every frame read, filtered or not
 * @param frames       the frames kept (all, or those the BPF filter accepted)
 * @param problems     what went wrong reading the file, e.g. a file cut short after frame N;
 *                     empty when it was read to its end
 */
public record Capture(Path file, int linkType, int framesInFile, List<Frame> frames, List<String> problems) {
    public Capture {
        frames = List.copyOf(frames);
        problems = List.copyOf(problems);
    }
}
