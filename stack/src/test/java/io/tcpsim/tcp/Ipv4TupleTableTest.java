package io.tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The IPv4 4-tuple table answers as a HashMap of the same tuples does, through growth and removals. */
class Ipv4TupleTableTest {
    private record Entry(FourTuple tuple) {
    }

    @Test
    void agreesWithAHashMapOverRandomAddsAndRemovals() {
        SplittableRandom random = new SplittableRandom(20_261_121L);
        Ipv4TupleTable<Entry> table = new Ipv4TupleTable<>(Entry::tuple, random.nextInt());
        Map<FourTuple, Entry> model = new HashMap<>();
        for (int step = 0; step < 200_000; step++) {
            // Few addresses and ports, so that tuples collide, repeat and cluster in the table.
            FourTuple t = new FourTuple(0x0A00_0002 + random.nextInt(2), 80 + random.nextInt(3),
                    0x0A00_0001 + random.nextInt(8), 40_000 + random.nextInt(400));
            int op = random.nextInt(10);
            if (op < 5) {
                Entry e = new Entry(t);
                table.put(e);
                model.put(t, e);
            } else if (op < 8) {
                Entry held = model.get(t);
                if (held != null && random.nextBoolean()) {
                    table.remove(held);
                    model.remove(t);
                } else {
                    table.remove(new Entry(t)); // not the one held: nothing happens
                }
            }
            Entry expected = model.get(t);
            assertSame(expected, table.get(t.localAddr().ipv4(), t.localPort(), t.remoteAddr().ipv4(), t.remotePort()));
            assertEquals(model.size(), table.size());
        }
        for (Map.Entry<FourTuple, Entry> e : model.entrySet()) {
            FourTuple t = e.getKey();
            assertSame(e.getValue(), table.get(t.localAddr().ipv4(), t.localPort(), t.remoteAddr().ipv4(), t.remotePort()));
        }
        assertNull(table.get(0x0A00_0002, 80, 0x0A00_00FF, 40_000));
    }
}
