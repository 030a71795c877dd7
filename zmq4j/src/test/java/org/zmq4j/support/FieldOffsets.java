package org.zmq4j.support;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/** Where the running JVM put a class's fields (sun.misc.Unsafe), for the cache-line layout tests. */
public final class FieldOffsets {
    private FieldOffsets() {
    }

    /**
     * The lowest and highest offset of the instance fields {@code c} declares itself.
     *
     * @param c the class
     * @return {lowest, highest}
     */
    public static long[] span(Class<?> c) throws Exception {
        Field f = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
        f.setAccessible(true);
        Object unsafe = f.get(null);
        Method offsetOf = unsafe.getClass().getMethod("objectFieldOffset", Field.class);
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (Field field : c.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
                long off = (Long) offsetOf.invoke(unsafe, field);
                min = Math.min(min, off);
                max = Math.max(max, off);
            }
        }
        return new long[] {min, max};
    }
}
