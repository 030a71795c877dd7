package org.zmq4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.zmq4j.Context;
import org.zmq4j.Poller;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/**
 * The JPMS boundary, exercised from the module path (this module's tests run as module
 * {@code org.zmq4j.examples}): zmq4j exports {@code org.zmq4j} and nothing else, and what a user
 * holds cannot be cast or reflected into its internals.
 */
class ModuleBoundaryTest {
    @Test
    void theseTestsRunOnTheModulePath() {
        assertEquals("org.zmq4j.examples", getClass().getModule().getName(), "the examples' tests must run as a named module");
        assertEquals("org.zmq4j", Socket.class.getModule().getName(), "zmq4j must be a named module, not the class path");
    }

    @Test
    void zmq4jExportsOnlyItsApiPackage() {
        ModuleDescriptor d = Socket.class.getModule().getDescriptor();
        Set<String> exports = d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        assertEquals(Set.of("org.zmq4j"), exports);
        assertTrue(d.exports().stream().noneMatch(ModuleDescriptor.Exports::isQualified), "no qualified exports");
        assertTrue(d.opens().isEmpty(), "nothing is opened for reflection");
        assertTrue(d.packages().size() > 1, "the internal packages are in the module, just not exported: " + d.packages());
    }

    @Test
    void thePatternsModuleExportsOnlyItsPatternPackages() {
        ModuleDescriptor d = org.zmq4j.patterns.mdp.MajordomoBroker.class.getModule().getDescriptor();
        assertEquals("org.zmq4j.patterns", d.name());
        Set<String> exports = d.exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet());
        assertEquals(Set.of("org.zmq4j.patterns", "org.zmq4j.patterns.mdp", "org.zmq4j.patterns.ppp", "org.zmq4j.patterns.lazypirate",
                "org.zmq4j.patterns.freelance", "org.zmq4j.patterns.bstar", "org.zmq4j.patterns.clone",
                "org.zmq4j.patterns.sequenced"), exports,
                "org.zmq4j.patterns.internal stays inside");
        Set<String> qualified = d.exports().stream().filter(ModuleDescriptor.Exports::isQualified)
                .map(e -> e.source() + " to " + e.targets()).collect(Collectors.toSet());
        assertEquals(Set.of("org.zmq4j.patterns.internal to [org.zmq4j.durable]"), qualified,
                "the loop helpers go to the durable module only");
        assertTrue(d.opens().isEmpty(), "nothing is opened for reflection");
        Set<String> requires = d.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet());
        assertEquals(Set.of("java.base", "org.zmq4j"), requires, "the patterns use zmq4j's public API and the JDK only");
    }

    @Test
    void theDurableModuleExportsItsFourPackages() {
        ModuleDescriptor d = org.zmq4j.durable.journal.FileJournal.class.getModule().getDescriptor();
        assertEquals("org.zmq4j.durable", d.name());
        Set<String> exports = d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        assertEquals(Set.of("org.zmq4j.durable.journal", "org.zmq4j.durable.delivery", "org.zmq4j.durable.titanic",
                "org.zmq4j.durable.retention"), exports);
        Set<String> requires = d.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet());
        assertEquals(Set.of("java.base", "org.zmq4j", "org.zmq4j.patterns"), requires, "no dependency beyond zmq4j");
    }

    @Test
    void aSocketCannotBeCastOrReflectedIntoItsImplementation() throws Exception {
        try (Context ctx = new Context(); Socket s = ctx.socket(SocketType.PAIR)) {
            Class<?> impl = s.getClass();
            assertFalse(java.lang.reflect.Modifier.isPublic(impl.getModifiers()), impl + " must not be a public class");
            Field core = impl.getDeclaredField("core");
            assertThrows(InaccessibleObjectException.class, () -> core.setAccessible(true));
            Class<?> base = core.getType();
            assertFalse(base.getModule().isExported(base.getPackageName()), base + " must be in a package zmq4j does not export");
            assertThrows(IllegalAccessException.class,
                    () -> MethodHandles.publicLookup().findVirtual(base, "pollEvents", MethodType.methodType(int.class)),
                    "an internal method is not callable from outside the module");
        }
    }

    @Test
    void thePollerWorksThroughTheModuleBoundary() {
        try (Context ctx = new Context(); Socket a = ctx.socket(SocketType.PAIR); Socket b = ctx.socket(SocketType.PAIR);
             Poller poller = new Poller()) {
            a.bind("inproc://boundary");
            b.connect("inproc://boundary");
            b.send("hello".getBytes());
            poller.register(a, Poller.POLLIN);
            assertEquals(1, poller.poll(5_000));
            assertEquals("hello", new String(a.recv()));
        }
    }
}
