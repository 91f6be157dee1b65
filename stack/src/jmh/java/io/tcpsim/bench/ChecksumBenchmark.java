package io.tcpsim.bench;

import io.tcpsim.wire.Checksum;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.pcap4j.util.ByteArrays;

/**
 * The Internet checksum (RFC 1071) of a TCP segment's bytes: tcpsim's {@link Checksum#ones16}
 * (eight bytes at a time from an off-heap segment, as a TUN read leaves them) against pcap4j's
 * {@code ByteArrays.calcChecksum} on a {@code byte[]}, the baseline, for a pure ACK's 32 bytes, a
 * 1500-byte MTU's segment and a 64 KiB TSO segment. Each variant checks its answer against the other
 * once in {@link #setUp}.
 *
 * <pre>./tcpsim jmh ChecksumBenchmark -f 1 -wi 3 -i 5 -w 1 -r 1</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ChecksumBenchmark {
    @Param({"32", "1480", "65516"})
    public int bytes;

    private byte[] array;
    private MemorySegment offHeap;

    @Setup
    public void setUp() {
        array = new byte[bytes];
        new SplittableRandom(bytes).nextBytes(array);
        offHeap = Arena.ofAuto().allocate(bytes, 64);
        MemorySegment.copy(array, 0, offHeap, ValueLayout.JAVA_BYTE, 0, bytes);
        int expected = Short.toUnsignedInt(pcap4j());
        int actual = tcpsim();
        if (expected != actual) {
            throw new IllegalStateException("checksums differ: pcap4j " + expected + ", tcpsim " + actual);
        }
    }

    @Benchmark
    public int tcpsim() {
        return Checksum.finish(Checksum.ones16(offHeap, 0, bytes, 0));
    }

    @Benchmark
    public short pcap4j() {
        return ByteArrays.calcChecksum(array);
    }
}
