package dev.etcdj.testing.linearizability;

/**
 * The three calls {@link RegisterWorkload} makes, implemented with whatever client is under test.
 * A call that returns has happened; one that throws is recorded as unknown (it may have been
 * applied), unless {@link #surelyNotApplied} says it never reached the store.
 */
public interface RegisterClient extends AutoCloseable {

    /** A key's value ({@code null}: absent) and the store revision the read was served at. */
    record Read(String value, long revision) {
    }

    /** A compare-and-set's answer and the store revision after it. */
    record Cas(boolean succeeded, long revision) {
    }

    /** Reads {@code key} (linearizably, if the client offers a choice). */
    Read read(String key) throws Exception;

    /** Puts {@code value} to {@code key}; returns the revision it was applied at. */
    long write(String key, String value) throws Exception;

    /** Sets {@code key} to {@code value} if it holds {@code expected} ({@code null}: if it is absent). */
    Cas cas(String key, String expected, String value) throws Exception;

    /** True when {@code error} proves the call had no effect (default: never assumed). */
    default boolean surelyNotApplied(Exception error) {
        return false;
    }

    @Override
    default void close() {
    }
}
