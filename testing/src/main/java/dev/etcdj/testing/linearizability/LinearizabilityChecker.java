package dev.etcdj.testing.linearizability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides whether a history of calls on per-key registers (read, write, compare-and-set) is
 * linearizable: whether each call can be given one instant between its invocation and its
 * completion such that, in that order, every answer is what a single register would have given.
 *
 * <p>The history is split by key (P-compositionality: independent registers are linearizable
 * together exactly when each is alone) and each key is searched with the Wing–Gong–Lowe algorithm
 * as Porcupine and Knossos do: depth-first over the calls that may go next, backtracking, with
 * every (set of linearized calls, register state) pair seen once memoized. Failed calls and
 * unanswered reads are dropped; an unanswered write or CAS may take effect at any time after its
 * invocation or never. The search is bounded: a key that needs more than {@code maxSteps} steps,
 * more memo entries than {@code maxMemo}, or runs past the deadline is reported
 * {@link CheckResult.Verdict#UNKNOWN} rather than hanging the test.
 */
public final class LinearizabilityChecker {
    private final long maxSteps;
    private final int maxMemo;
    private final Duration timeout;

    private LinearizabilityChecker(long maxSteps, int maxMemo, Duration timeout) {
        if (maxSteps <= 0 || maxMemo <= 0) {
            throw new IllegalArgumentException("bounds must be positive");
        }
        this.maxSteps = maxSteps;
        this.maxMemo = maxMemo;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** Up to 20 million steps and 2 million memo entries per key, 60 s for the whole history. */
    public static LinearizabilityChecker create() {
        return new LinearizabilityChecker(20_000_000, 2_000_000, Duration.ofSeconds(60));
    }

    /** A checker with other bounds: steps and memo entries per key, time for the whole history. */
    public static LinearizabilityChecker bounded(long maxSteps, int maxMemo, Duration timeout) {
        return new LinearizabilityChecker(maxSteps, maxMemo, timeout);
    }

    /** Checks the history; the verdict is the worst over its keys (an anomaly wins over unknown). */
    public CheckResult check(List<Op> history) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, List<Op>> byKey = new LinkedHashMap<>();
        int ignored = 0;
        for (Op op : history) {
            boolean noEffect = op.outcome() == Op.Outcome.FAIL
                    || (op.outcome() == Op.Outcome.UNKNOWN && op.kind() == Op.Kind.READ);
            if (noEffect) {
                ignored++;
            } else {
                byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
            }
        }
        List<CheckResult.KeyResult> results = new ArrayList<>();
        int checked = 0;
        boolean anomaly = false;
        boolean unknown = false;
        for (Map.Entry<String, List<Op>> e : byKey.entrySet()) {
            CheckResult.KeyResult r = new KeySearch(e.getKey(), e.getValue(), deadline).run();
            results.add(r);
            checked += r.ops();
            anomaly |= r.verdict() == CheckResult.Verdict.NOT_LINEARIZABLE;
            unknown |= r.verdict() == CheckResult.Verdict.UNKNOWN;
        }
        CheckResult.Verdict verdict = anomaly ? CheckResult.Verdict.NOT_LINEARIZABLE
                : unknown ? CheckResult.Verdict.UNKNOWN : CheckResult.Verdict.LINEARIZABLE;
        return new CheckResult(verdict, results, checked, ignored);
    }

    /** The search over one key's calls. Entries 0..2n-1 are calls and returns; head and tail are sentinels. */
    private final class KeySearch {
        private final String key;
        private final Op[] ops;
        private final int[] values;        // interned value of each op's write (0 = absent)
        private final int[] expected;      // interned expected value of each CAS
        private final int[] outputs;       // interned read output
        private final int[] entryOp;       // entry -> op index
        private final boolean[] isCall;
        private final int[] match;         // call entry <-> return entry
        private final int[] next;
        private final int[] prev;
        private final int head;
        private final int tail;
        private final long deadline;
        private final Map<String, Integer> interned = new HashMap<>();

        KeySearch(String key, List<Op> keyOps, long deadline) {
            this.key = key;
            this.ops = keyOps.toArray(new Op[0]);
            this.deadline = deadline;
            int n = ops.length;
            values = new int[n];
            expected = new int[n];
            outputs = new int[n];
            interned.put(null, 0);
            for (int i = 0; i < n; i++) {
                values[i] = intern(ops[i].value());
                expected[i] = intern(ops[i].expected());
                outputs[i] = intern(ops[i].output());
            }
            int entries = 2 * n;
            Integer[] order = new Integer[entries];
            for (int i = 0; i < entries; i++) {
                order[i] = i;
            }
            // Entry 2i is op i's call, 2i+1 its return. At equal times calls go first, so that
            // calls that touch in time count as concurrent: never a false anomaly from clock ties.
            Arrays.sort(order, Comparator.<Integer>comparingLong(e -> e % 2 == 0
                            ? ops[e / 2].invokeNanos() : ops[e / 2].completeNanos())
                    .thenComparingInt(e -> e % 2));
            entryOp = new int[entries];
            isCall = new boolean[entries];
            match = new int[entries];
            int[] position = new int[entries];
            for (int p = 0; p < entries; p++) {
                position[order[p]] = p;
            }
            for (int p = 0; p < entries; p++) {
                int e = order[p];
                entryOp[p] = e / 2;
                isCall[p] = e % 2 == 0;
                match[p] = position[e ^ 1];
            }
            head = entries;
            tail = entries + 1;
            next = new int[entries + 2];
            prev = new int[entries + 2];
            int last = head;
            for (int p = 0; p < entries; p++) {
                next[last] = p;
                prev[p] = last;
                last = p;
            }
            next[last] = tail;
            prev[tail] = last;
        }

        private int intern(String v) {
            return interned.computeIfAbsent(v, x -> interned.size());
        }

        /** The state after applying op {@code i} to {@code state}, or -1 when its answer is impossible there. */
        private int step(int state, int i) {
            Op op = ops[i];
            return switch (op.kind()) {
                case READ -> state == outputs[i] ? state : -1;
                case WRITE -> values[i];
                case CAS -> {
                    boolean holds = state == expected[i];
                    if (op.outcome() == Op.Outcome.UNKNOWN) {
                        yield holds ? values[i] : state;
                    }
                    if (op.casSucceeded()) {
                        yield holds ? values[i] : -1;
                    }
                    yield holds ? -1 : state;
                }
            };
        }

        private void lift(int entry) {
            next[prev[entry]] = next[entry];
            prev[next[entry]] = prev[entry];
            int m = match[entry];
            next[prev[m]] = next[m];
            prev[next[m]] = prev[m];
        }

        private void unlift(int entry) {
            int m = match[entry];
            prev[next[m]] = m;
            next[prev[m]] = m;
            prev[next[entry]] = entry;
            next[prev[entry]] = entry;
        }

        CheckResult.KeyResult run() {
            int n = ops.length;
            long[] linearized = new long[(n + 63) / 64];
            Set<Memo> memo = new HashSet<>();
            int[] stackEntry = new int[n];
            int[] stackState = new int[n];
            int depth = 0;
            int state = 0;
            int bestDepth = -1;
            int[] best = new int[0];
            int bestState = 0;
            long steps = 0;
            int entry = next[head];
            while (next[head] != tail) {
                if (++steps > maxSteps || memo.size() > maxMemo
                        || ((steps & 0xFFFF) == 0 && System.nanoTime() > deadline)) {
                    return new CheckResult.KeyResult(key, CheckResult.Verdict.UNKNOWN, n, steps,
                            "search bound reached (" + steps + " steps, " + memo.size() + " memo entries; "
                                    + depth + " of " + n + " ops linearized)");
                }
                if (isCall[entry]) {
                    int i = entryOp[entry];
                    int after = step(state, i);
                    if (after >= 0) {
                        long[] lin = linearized.clone();
                        lin[i >>> 6] |= 1L << i;
                        if (memo.add(new Memo(lin, after))) {
                            stackEntry[depth] = entry;
                            stackState[depth] = state;
                            depth++;
                            linearized = lin;
                            state = after;
                            lift(entry);
                            entry = next[head];
                            continue;
                        }
                    }
                    entry = next[entry];
                } else {
                    if (depth > bestDepth) {
                        bestDepth = depth;
                        best = Arrays.copyOf(stackEntry, depth);
                        bestState = state;
                    }
                    if (depth == 0) {
                        return new CheckResult.KeyResult(key, CheckResult.Verdict.NOT_LINEARIZABLE, n, steps,
                                explain(best, bestState));
                    }
                    depth--;
                    entry = stackEntry[depth];
                    state = stackState[depth];
                    int i = entryOp[entry];
                    linearized = linearized.clone();
                    linearized[i >>> 6] &= ~(1L << i);
                    unlift(entry);
                    entry = next[entry];
                }
            }
            return new CheckResult.KeyResult(key, CheckResult.Verdict.LINEARIZABLE, n, steps, "");
        }

        /** The longest order found, and the first call (by completion) that no order could place after it. */
        private String explain(int[] prefix, int state) {
            Set<Integer> placed = new HashSet<>();
            for (int e : prefix) {
                placed.add(entryOp[e]);
            }
            Op stuck = null;
            for (int i = 0; i < ops.length; i++) {
                if (!placed.contains(i) && (stuck == null || ops[i].completeNanos() < stuck.completeNanos())) {
                    stuck = ops[i];
                }
            }
            String stateText = Op.quote(valueOf(state));
            StringBuilder sb = new StringBuilder();
            sb.append("no order places ").append(stuck).append(" after the ").append(prefix.length)
                    .append(" ops that linearize (register then ").append(stateText).append(')');
            if (prefix.length > 0) {
                sb.append("; last placed: ").append(ops[entryOp[prefix[prefix.length - 1]]]);
            }
            final Op s = stuck;
            List<String> concurrent = Arrays.stream(ops)
                    .filter(o -> o != s && o.invokeNanos() <= s.completeNanos() && s.invokeNanos() <= o.completeNanos())
                    .limit(8).map(Op::toString).collect(Collectors.toList());
            if (!concurrent.isEmpty()) {
                sb.append("; concurrent with it: ").append(String.join(", ", concurrent));
            }
            return sb.toString();
        }

        private String valueOf(int state) {
            for (Map.Entry<String, Integer> e : interned.entrySet()) {
                if (e.getValue() == state) {
                    return e.getKey();
                }
            }
            return null;
        }
    }

    /** A memo entry: which calls are linearized and the register's state after them. */
    private static final class Memo {
        private final long[] linearized;
        private final int state;
        private final int hash;

        Memo(long[] linearized, int state) {
            this.linearized = linearized;
            this.state = state;
            this.hash = 31 * Arrays.hashCode(linearized) + state;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Memo m && m.state == state && m.hash == hash && Arrays.equals(m.linearized, linearized);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
