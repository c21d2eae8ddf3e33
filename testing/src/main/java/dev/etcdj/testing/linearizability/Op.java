package dev.etcdj.testing.linearizability;

import java.util.Objects;

/**
 * One recorded call on a per-key register: a read, a write (put, or delete when {@code value} is
 * null) or a compare-and-set, with when it was invoked, when it completed, and what came of it.
 *
 * <ul>
 *   <li>{@link Outcome#OK}: the call returned; {@code output} (read) or {@code casSucceeded} (CAS)
 *       hold its answer, {@code revision} the store revision it reported (0 when unknown).
 *   <li>{@link Outcome#FAIL}: the call surely had no effect (it never reached the store).
 *   <li>{@link Outcome#UNKNOWN}: no answer (timeout, lost connection): it may have taken effect at
 *       any time after its invocation, so its completion is taken to be never.
 * </ul>
 *
 * Values are compared as strings; {@code null} means "no such key".
 */
public record Op(int id, int process, String key, Kind kind, String value, String expected,
                 Outcome outcome, String output, boolean casSucceeded,
                 long invokeNanos, long completeNanos, long revision, String error) {

    /** What the call does to the key's register. */
    public enum Kind { READ, WRITE, CAS }

    /** How the call ended. */
    public enum Outcome { OK, FAIL, UNKNOWN }

    public Op {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(outcome, "outcome");
        if (outcome == Outcome.UNKNOWN) {
            completeNanos = Long.MAX_VALUE;
        } else if (completeNanos < invokeNanos) {
            throw new IllegalArgumentException("op " + id + " completes before it is invoked");
        }
    }

    /** A read that returned {@code output} ({@code null}: the key did not exist). */
    public static Op read(int id, int process, String key, String output, long invoke, long complete) {
        return new Op(id, process, key, Kind.READ, null, null, Outcome.OK, output, false, invoke, complete, 0, null);
    }

    /** A write of {@code value} ({@code null}: a delete) that was acknowledged. */
    public static Op write(int id, int process, String key, String value, long invoke, long complete) {
        return new Op(id, process, key, Kind.WRITE, value, null, Outcome.OK, null, false, invoke, complete, 0, null);
    }

    /** A compare-and-set from {@code expected} to {@code value} that answered {@code succeeded}. */
    public static Op cas(int id, int process, String key, String expected, String value, boolean succeeded,
                         long invoke, long complete) {
        return new Op(id, process, key, Kind.CAS, value, expected, Outcome.OK, null, succeeded, invoke, complete, 0, null);
    }

    /** The same call with no answer: it may or may not have taken effect. */
    public Op asUnknown() {
        return new Op(id, process, key, kind, value, expected, Outcome.UNKNOWN, null, false, invokeNanos,
                Long.MAX_VALUE, 0, error);
    }

    /** True when the call changes (or may change) the register. */
    public boolean isWrite() {
        return kind != Kind.READ;
    }

    @Override
    public String toString() {
        String call = switch (kind) {
            case READ -> "read";
            case WRITE -> value == null ? "delete" : "write " + quote(value);
            case CAS -> "cas " + quote(expected) + "->" + quote(value);
        };
        String result = switch (outcome) {
            case OK -> switch (kind) {
                case READ -> " = " + quote(output);
                case WRITE -> " ok";
                case CAS -> casSucceeded ? " ok" : " failed (compare false)";
            };
            case FAIL -> " FAIL" + (error == null ? "" : " (" + error + ")");
            case UNKNOWN -> " UNKNOWN" + (error == null ? "" : " (" + error + ")");
        };
        String end = outcome == Outcome.UNKNOWN ? "inf" : Long.toString(completeNanos);
        return "#" + id + " p" + process + " " + key + " " + call + result
                + " [" + invokeNanos + ".." + end + "]" + (revision > 0 ? " rev " + revision : "");
    }

    static String quote(String v) {
        return v == null ? "<none>" : '"' + v + '"';
    }
}
