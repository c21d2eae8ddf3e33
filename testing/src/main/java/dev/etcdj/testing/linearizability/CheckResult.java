package dev.etcdj.testing.linearizability;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The checker's answer for a whole history: one {@link KeyResult} per key, and the verdict over
 * all of them (by P-compositionality a history of independent registers is linearizable exactly
 * when each key's sub-history is).
 */
public record CheckResult(Verdict verdict, List<KeyResult> keys, int opsChecked, int opsIgnored) {

    /** Linearizable; not linearizable (an anomaly, with a witness); or undecided within the search bound. */
    public enum Verdict { LINEARIZABLE, NOT_LINEARIZABLE, UNKNOWN }

    public CheckResult {
        keys = List.copyOf(keys);
    }

    /**
     * One key's result. For {@link Verdict#NOT_LINEARIZABLE}, {@code explanation} names the call no
     * order could place, the state the register had reached and the calls concurrent with it.
     */
    public record KeyResult(String key, Verdict verdict, int ops, long steps, String explanation) {
    }

    public boolean isLinearizable() {
        return verdict == Verdict.LINEARIZABLE;
    }

    /** The keys that are not linearizable. */
    public List<KeyResult> anomalies() {
        return keys.stream().filter(k -> k.verdict() == Verdict.NOT_LINEARIZABLE).collect(Collectors.toList());
    }

    /** A few lines for a test report: verdict, counts, and every anomaly or undecided key. */
    public String report() {
        StringBuilder sb = new StringBuilder();
        sb.append(verdict).append(": ").append(opsChecked).append(" ops checked on ").append(keys.size())
                .append(" keys (").append(opsIgnored).append(" failed or unanswered reads ignored)");
        for (KeyResult k : keys) {
            if (k.verdict() != Verdict.LINEARIZABLE) {
                sb.append("\n  key ").append(k.key()).append(": ").append(k.verdict()).append(" after ")
                        .append(k.steps()).append(" steps: ").append(k.explanation());
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return report();
    }
}
