package io.tcpsim.link;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * The slices of one buffer that start at one offset, one per length, each made the first time
 * its length is asked for and kept. {@link MemorySegment#asSlice} makes a new object on every
 * call, so a packet path that hands on a slice of its buffer for every packet would allocate per
 * packet; through this it allocates only for a length it has not seen before (issue 8: no
 * allocation per packet in the steady state). It holds a reference per length asked for, in
 * blocks of {@value #BLOCK} made when first needed, and the slices themselves: for a 64 KiB
 * buffer, at most about 3 MiB if every length occurs, a few KiB in practice.
 */
public final class BufferSlices {
    private static final int BLOCK = 256;

    private final MemorySegment buffer;
    private final long offset;
    private final int room;
    private final MemorySegment[][] blocks;

    /** Slices of {@code buffer} from {@code offset}. */
    public BufferSlices(MemorySegment buffer, long offset) {
        this.buffer = buffer;
        this.offset = Objects.checkIndex(offset, buffer.byteSize() + 1);
        this.room = (int) Math.min(Integer.MAX_VALUE - 1, buffer.byteSize() - offset);
        this.blocks = new MemorySegment[room / BLOCK + 1][];
    }

    /** The buffer's {@code length} bytes from the offset: the same object every time. */
    public MemorySegment of(int length) {
        Objects.checkIndex(length, room + 1);
        MemorySegment[] block = blocks[length / BLOCK];
        if (block == null) {
            block = new MemorySegment[BLOCK];
            blocks[length / BLOCK] = block;
        }
        MemorySegment slice = block[length % BLOCK];
        if (slice == null) {
            slice = buffer.asSlice(offset, length);
            block[length % BLOCK] = slice;
        }
        return slice;
    }

    /** Whether these are slices of {@code segment}: the same object. */
    public boolean over(MemorySegment segment) {
        return buffer == segment;
    }
}
