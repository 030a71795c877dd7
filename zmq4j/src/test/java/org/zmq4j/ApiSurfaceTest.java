package org.zmq4j;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The public API is closed: every type a public or protected member of an exported type mentions
 * (parameters, results, exceptions, fields, supertypes, type arguments) is either the JDK's or
 * another public type of {@code org.zmq4j}. So no internal type is reachable from the API, and the
 * module descriptor's single export is enough.
 */
class ApiSurfaceTest {
    @Test
    void publicMembersOfTheApiMentionOnlyApiAndJdkTypes() throws Exception {
        List<String> leaks = new ArrayList<>();
        List<Class<?>> api = apiClasses();
        assertTrue(api.size() > 10, "found the API classes: " + api);
        for (Class<?> c : api) {
            check(c, c.getGenericSuperclass(), "superclass", leaks);
            for (Type i : c.getGenericInterfaces()) {
                check(c, i, "interface", leaks);
            }
            for (Field f : c.getDeclaredFields()) {
                if (visible(f.getModifiers())) {
                    check(c, f.getGenericType(), "field " + f.getName(), leaks);
                }
            }
            for (Method m : c.getDeclaredMethods()) {
                if (visible(m.getModifiers()) && !m.isSynthetic()) {
                    check(c, m.getGenericReturnType(), m.getName() + " result", leaks);
                    checkExecutable(c, m, leaks);
                }
            }
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (Modifier.isPublic(k.getModifiers()) || Modifier.isProtected(k.getModifiers()) && !Modifier.isFinal(c.getModifiers())) {
                    checkExecutable(c, k, leaks);
                }
            }
        }
        assertTrue(leaks.isEmpty(), "internal types reachable from the public API:\n" + String.join("\n", leaks));
    }

    @Test
    void theSocketsImplementationIsNotPublic() {
        try (Context ctx = new Context(); Socket s = ctx.socket(SocketType.DEALER)) {
            assertFalse(Modifier.isPublic(s.getClass().getModifiers()), s.getClass() + " must be package-private");
        }
    }

    private static void checkExecutable(Class<?> owner, Executable e, List<String> leaks) {
        for (Type p : e.getGenericParameterTypes()) {
            check(owner, p, e.getName() + " parameter", leaks);
        }
        for (Type x : e.getGenericExceptionTypes()) {
            check(owner, x, e.getName() + " exception", leaks);
        }
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static void check(Class<?> owner, Type t, String where, List<String> leaks) {
        if (t == null) {
            return;
        }
        if (t instanceof Class<?>) {
            Class<?> c = (Class<?>) t;
            while (c.isArray()) {
                c = c.getComponentType();
            }
            if (c.isPrimitive() || c.getName().startsWith("java.")) {
                return;
            }
            if (!c.getPackageName().equals("org.zmq4j") || !Modifier.isPublic(c.getModifiers())) {
                leaks.add(owner.getName() + " " + where + ": " + c.getName());
            }
        } else if (t instanceof ParameterizedType) {
            ParameterizedType p = (ParameterizedType) t;
            check(owner, p.getRawType(), where, leaks);
            for (Type a : p.getActualTypeArguments()) {
                check(owner, a, where, leaks);
            }
        } else if (t instanceof GenericArrayType) {
            check(owner, ((GenericArrayType) t).getGenericComponentType(), where, leaks);
        } else if (t instanceof WildcardType) {
            for (Type b : ((WildcardType) t).getUpperBounds()) {
                check(owner, b, where, leaks);
            }
            for (Type b : ((WildcardType) t).getLowerBounds()) {
                check(owner, b, where, leaks);
            }
        } else if (t instanceof TypeVariable<?>) {
            for (Type b : ((TypeVariable<?>) t).getBounds()) {
                check(owner, b, where, leaks);
            }
        }
    }

    /** The public classes of org.zmq4j, nested ones included, read from where Context was loaded. */
    private static List<Class<?>> apiClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(Context.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path dir = root.resolve("org/zmq4j");
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.endsWith(".class") && !name.equals("module-info.class")) {
                    Class<?> c = Class.forName("org.zmq4j." + name.substring(0, name.length() - 6), false,
                            ApiSurfaceTest.class.getClassLoader());
                    if (isExposed(c)) {
                        classes.add(c);
                    }
                }
            }
        }
        return classes;
    }

    /** Public, and (if nested) inside public types all the way out. */
    private static boolean isExposed(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getDeclaringClass()) {
            if (!Modifier.isPublic(k.getModifiers())) {
                return false;
            }
        }
        return !c.isAnonymousClass() && !c.isSynthetic();
    }
}
