package dev.etcdj.testing.linearizability;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records calls on per-key registers as they happen, from any number of threads, for
 * {@link LinearizabilityChecker}. Take the invocation time just before the call goes out and
 * finish it as soon as its answer is in:
 *
 * <pre>{@code
 * HistoryRecorder.Call call = recorder.invokeWrite(process, "k1", "v-17");
 * try {
 *     long rev = client.put("k1", "v-17").join().header().revision();
 *     call.ok(rev);
 * } catch (TimeoutException | ConnectionLostException e) {
 *     call.unknown(e.toString());       // may or may not have been applied
 * }
 * }</pre>
 *
 * A call never finished counts as unknown. Give every write a value of its own (e.g. process and
 * sequence number): the checker then tells apart which write a read saw.
 */
public final class HistoryRecorder {
    private final AtomicInteger ids = new AtomicInteger();
    private final List<Call> calls = new ArrayList<>();

    /** A read of {@code key} about to be sent. */
    public Call invokeRead(int process, String key) {
        return start(process, key, Op.Kind.READ, null, null);
    }

    /** A put of {@code value} to {@code key} ({@code null}: a delete) about to be sent. */
    public Call invokeWrite(int process, String key, String value) {
        return start(process, key, Op.Kind.WRITE, value, null);
    }

    /** A compare-and-set of {@code key} from {@code expected} ({@code null}: absent) to {@code value}. */
    public Call invokeCas(int process, String key, String expected, String value) {
        return start(process, key, Op.Kind.CAS, value, expected);
    }

    private Call start(int process, String key, Op.Kind kind, String value, String expected) {
        Call call = new Call(ids.getAndIncrement(), process, key, kind, value, expected, System.nanoTime());
        synchronized (calls) {
            calls.add(call);
        }
        return call;
    }

    /** Every call so far, in invocation order; unfinished calls as unknown. */
    public List<Op> history() {
        List<Call> snapshot;
        synchronized (calls) {
            snapshot = new ArrayList<>(calls);
        }
        List<Op> ops = new ArrayList<>(snapshot.size());
        for (Call c : snapshot) {
            ops.add(c.toOp());
        }
        ops.sort(Comparator.comparingLong(Op::invokeNanos).thenComparingInt(Op::id));
        return ops;
    }

    /** Number of calls recorded so far. */
    public int size() {
        synchronized (calls) {
            return calls.size();
        }
    }

    /** One call in flight; finish it exactly once with {@code ok…}, {@link #fail} or {@link #unknown}. */
    public static final class Call {
        private final int id;
        private final int process;
        private final String key;
        private final Op.Kind kind;
        private final String value;
        private final String expected;
        private final long invoke;
        private Op done;

        private Call(int id, int process, String key, Op.Kind kind, String value, String expected, long invoke) {
            this.id = id;
            this.process = process;
            this.key = key;
            this.kind = kind;
            this.value = value;
            this.expected = expected;
            this.invoke = invoke;
        }

        /** The read returned {@code output} ({@code null}: no such key), at store revision {@code revision}. */
        public void okRead(String output, long revision) {
            require(Op.Kind.READ);
            finish(Op.Outcome.OK, output, false, revision, null);
        }

        /** The write was acknowledged at {@code revision}. */
        public void ok(long revision) {
            require(Op.Kind.WRITE);
            finish(Op.Outcome.OK, null, false, revision, null);
        }

        /** The compare-and-set answered: {@code succeeded} whether its compare held. */
        public void okCas(boolean succeeded, long revision) {
            require(Op.Kind.CAS);
            finish(Op.Outcome.OK, null, succeeded, revision, null);
        }

        /** The call surely had no effect (e.g. refused before it reached the store). */
        public void fail(String error) {
            finish(Op.Outcome.FAIL, null, false, 0, error);
        }

        /** No answer: the call may or may not have taken effect. */
        public void unknown(String error) {
            finish(Op.Outcome.UNKNOWN, null, false, 0, error);
        }

        private void require(Op.Kind k) {
            if (kind != k) {
                throw new IllegalStateException("call #" + id + " is a " + kind + ", not a " + k);
            }
        }

        private synchronized void finish(Op.Outcome outcome, String output, boolean cas, long revision, String error) {
            if (done != null) {
                throw new IllegalStateException("call #" + id + " already finished: " + done);
            }
            done = new Op(id, process, key, kind, value, expected, outcome, output, cas, invoke,
                    outcome == Op.Outcome.UNKNOWN ? Long.MAX_VALUE : System.nanoTime(), revision, error);
        }

        synchronized Op toOp() {
            return done != null ? done
                    : new Op(id, process, key, kind, value, expected, Op.Outcome.UNKNOWN, null, false, invoke,
                            Long.MAX_VALUE, 0, "never finished");
        }
    }
}
