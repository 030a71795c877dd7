package org.zmq4j.security;

/**
 * Chooses CURVE's {@link SecretBox} implementation for one test: {@link #use} sets the system
 * property {@value SecretBox#PROPERTY} (and, for {@link #ZMQ4J_SCALAR} and {@link #ZMQ4J_LOOPS},
 * {@value SalsaBatch#PROPERTY} to false or loops), {@link #restore} (from an {@code @AfterEach}) puts back what was there. The property is read when a connection's session box is made, so a test that sets it
 * before connecting gets that implementation. Tests run one at a time (no parallel execution is
 * configured), which this relies on. Not thread-safe.
 */
final class CurveCrypto {
    /** Both implementations, for {@code @ValueSource(strings = ...)}. */
    static final String ZMQ4J = "zmq4j";
    static final String BOUNCY_CASTLE = "bouncycastle";
    /** Ours without the vector lanes (the suite's JVM has them, so {@link #ZMQ4J} uses them). */
    static final String ZMQ4J_SCALAR = "zmq4j-scalar";
    /** Ours with the loop batch ({@link LoopSalsa20}) in place of the Vector API's. */
    static final String ZMQ4J_LOOPS = "zmq4j-loops";

    private static String saved;
    private static String savedVector;
    private static boolean set;

    private CurveCrypto() {
    }

    /** Makes {@code implementation} the one new CURVE sessions use until {@link #restore}; null clears the property. */
    static void use(String implementation) {
        if (!set) {
            saved = System.getProperty(SecretBox.PROPERTY);
            savedVector = System.getProperty(SalsaBatch.PROPERTY);
            set = true;
        }
        put(SalsaBatch.PROPERTY, ZMQ4J_SCALAR.equals(implementation) ? "false"
                : ZMQ4J_LOOPS.equals(implementation) ? "loops" : savedVector);
        if (ZMQ4J_SCALAR.equals(implementation) || ZMQ4J_LOOPS.equals(implementation)) {
            System.setProperty(SecretBox.PROPERTY, ZMQ4J);
        } else if (implementation == null) {
            System.clearProperty(SecretBox.PROPERTY);
        } else {
            System.setProperty(SecretBox.PROPERTY, implementation);
        }
    }

    /**
     * Sets {@value SalsaBatch#PROPERTY} alone (any value, valid or not) until {@link #restore}; null
     * clears it.
     */
    static void useVectorSwitch(String value) {
        if (!set) {
            saved = System.getProperty(SecretBox.PROPERTY);
            savedVector = System.getProperty(SalsaBatch.PROPERTY);
            set = true;
        }
        put(SalsaBatch.PROPERTY, value);
    }

    /** Puts the properties back as they were before the first {@link #use} or {@link #useVectorSwitch}. */
    static void restore() {
        if (!set) {
            return;
        }
        put(SecretBox.PROPERTY, saved);
        put(SalsaBatch.PROPERTY, savedVector);
        set = false;
    }

    private static void put(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }
}
