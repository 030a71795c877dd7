package org.zmq4j.security;

/**
 * Chooses CURVE's {@link SecretBox} implementation for one test: {@link #use} sets the system
 * property {@value SecretBox#PROPERTY}, {@link #restore} (from an {@code @AfterEach}) puts back what
 * was there. The property is read when a connection's session box is made, so a test that sets it
 * before connecting gets that implementation. Tests run one at a time (no parallel execution is
 * configured), which this relies on. Not thread-safe.
 */
final class CurveCrypto {
    /** Both implementations, for {@code @ValueSource(strings = ...)}. */
    static final String ZMQ4J = "zmq4j";
    static final String BOUNCY_CASTLE = "bouncycastle";

    private static String saved;
    private static boolean set;

    private CurveCrypto() {
    }

    /** Makes {@code implementation} the one new CURVE sessions use until {@link #restore}; null clears the property. */
    static void use(String implementation) {
        if (!set) {
            saved = System.getProperty(SecretBox.PROPERTY);
            set = true;
        }
        if (implementation == null) {
            System.clearProperty(SecretBox.PROPERTY);
        } else {
            System.setProperty(SecretBox.PROPERTY, implementation);
        }
    }

    /** Puts the property back as it was before the first {@link #use}. */
    static void restore() {
        if (!set) {
            return;
        }
        if (saved == null) {
            System.clearProperty(SecretBox.PROPERTY);
        } else {
            System.setProperty(SecretBox.PROPERTY, saved);
        }
        set = false;
    }
}
