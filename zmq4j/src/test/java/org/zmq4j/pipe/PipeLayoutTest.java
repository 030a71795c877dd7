package org.zmq4j.pipe;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The groups of a Pipe's fields that different threads write on every message must not share a
 * cache line (see PipeLayout.java): checks the offsets the running JVM gave them.
 */
class PipeLayoutTest {
    private static final int LINE = 64;

    @Test
    void hotFieldGroupsAreAtLeastACacheLineApart() throws Exception {
        Field f = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
        f.setAccessible(true);
        Object unsafe = f.get(null);
        java.lang.reflect.Method offsetOf = unsafe.getClass().getMethod("objectFieldOffset", Field.class);
        Class<?>[] groups = {PipeWriterFields.class, PipeCommitFields.class, PipeCreditFields.class, PipeReaderFields.class, Pipe.class};
        long[][] spans = new long[groups.length][];
        StringBuilder layout = new StringBuilder();
        for (int g = 0; g < groups.length; g++) {
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (Field field : groups[g].getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                long off = (Long) offsetOf.invoke(unsafe, field);
                min = Math.min(min, off);
                max = Math.max(max, off);
            }
            spans[g] = new long[] {min, max};
            layout.append(groups[g].getSimpleName()).append(" ").append(min).append("..").append(max).append("; ");
        }
        List<String> problems = new ArrayList<>();
        for (int a = 0; a < groups.length; a++) {
            for (int b = 0; b < groups.length; b++) {
                if (a == b) {
                    continue;
                }
                // every field of a lies at least a cache line away from every field of b
                boolean apart = spans[b][0] - spans[a][1] >= LINE || spans[a][0] - spans[b][1] >= LINE;
                if (!apart) {
                    problems.add(groups[a].getSimpleName() + " / " + groups[b].getSimpleName());
                }
            }
        }
        System.out.println("[PipeLayoutTest] field offsets: " + layout);
        assertTrue(problems.isEmpty(), "groups sharing a cache line: " + problems + " (layout: " + layout + ")");
    }
}
