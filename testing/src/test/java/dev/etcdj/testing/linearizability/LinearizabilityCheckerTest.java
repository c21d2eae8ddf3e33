package dev.etcdj.testing.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.testing.linearizability.CheckResult.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerTest {
    private final LinearizabilityChecker checker = LinearizabilityChecker.create();
    private int ids;

    private Op write(String v, long from, long to) {
        return Op.write(ids++, 0, "k", v, from, to);
    }

    private Op read(String v, long from, long to) {
        return Op.read(ids++, 1, "k", v, from, to);
    }

    private Op cas(String expected, String v, boolean ok, long from, long to) {
        return Op.cas(ids++, 2, "k", expected, v, ok, from, to);
    }

    private CheckResult check(Op... ops) {
        return checker.check(List.of(ops));
    }

    private void assertAnomaly(CheckResult r, String culprit) {
        assertThat(r.verdict()).as(r.report()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(r.anomalies()).hasSize(1);
        assertThat(r.anomalies().get(0).explanation()).contains(culprit);
    }

    // ---- histories that must be flagged ----

    @Test
    void staleReadAfterANewerWriteCompleted() {
        assertAnomaly(check(write("a", 0, 10), write("b", 20, 30), read("a", 40, 50)), "read = \"a\"");
    }

    @Test
    void lostWriteReadAsAbsent() {
        assertAnomaly(check(write("a", 0, 10), read(null, 20, 30)), "read = <none>");
    }

    @Test
    void lostWriteOverwrittenByAnOlderOne() {
        // b acknowledged after a, yet a later read sees a and b never again.
        assertAnomaly(check(write("a", 0, 10), write("b", 20, 30), read("b", 31, 32), read("a", 40, 50)), "read = \"a\"");
    }

    @Test
    void casSucceededOnAStaleValue() {
        assertAnomaly(check(write("a", 0, 10), write("b", 20, 30), cas("a", "c", true, 40, 50)), "cas \"a\"->\"c\" ok");
    }

    @Test
    void casFailedThoughItsCompareHeld() {
        assertAnomaly(check(write("a", 0, 10), cas("a", "c", false, 20, 30)), "compare false");
    }

    @Test
    void nonMonotonicReadsAcrossAConcurrentWrite() {
        // Once a read returned b (whose write is still running), a later read may not go back to a.
        assertAnomaly(check(write("a", 0, 10), write("b", 5, 100), read("b", 20, 30), read("a", 40, 50)), "read = \"a\"");
    }

    @Test
    void phantomValueNeverWritten() {
        assertAnomaly(check(write("a", 0, 10), read("zzz", 20, 30)), "\"zzz\"");
    }

    @Test
    void writeReportedFailedYetSeen() {
        Op failed = new Op(ids++, 0, "k", Op.Kind.WRITE, "a", null, Op.Outcome.FAIL, null, false, 0, 10, 0, "refused");
        assertAnomaly(check(failed, read("a", 20, 30)), "read = \"a\"");
    }

    @Test
    void valueReadBeforeItsUnansweredWriteWasInvoked() {
        Op unknown = write("b", 50, 60).asUnknown();
        assertAnomaly(check(write("a", 0, 10), read("b", 20, 30), unknown), "read = \"b\"");
    }

    @Test
    void anomalyOnOneKeyIsFoundAmongCleanKeys() {
        List<Op> ops = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            ops.add(Op.write(ids++, 0, "key" + k, "a", 0, 10));
            ops.add(Op.read(ids++, 1, "key" + k, k == 3 ? null : "a", 20, 30));
        }
        CheckResult r = checker.check(ops);
        assertThat(r.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(r.anomalies()).extracting(CheckResult.KeyResult::key).containsExactly("key3");
        assertThat(r.opsChecked()).isEqualTo(10);
    }

    // ---- histories that must pass ----

    @Test
    void concurrentReadsMaySeeEitherSideOfAWrite() {
        CheckResult r = check(write("a", 0, 100), read(null, 5, 15), read("a", 10, 20), read("a", 30, 40));
        assertThat(r.verdict()).as(r.report()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void unansweredWriteMayHaveHappened() {
        CheckResult r = check(write("a", 0, 10), write("b", 20, 30).asUnknown(), read("b", 50, 60), read("b", 70, 80));
        assertThat(r.verdict()).as(r.report()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void unansweredWriteMayNeverHaveHappened() {
        CheckResult r = check(write("a", 0, 10), write("b", 20, 30).asUnknown(), read("a", 50, 60), read("a", 70, 80));
        assertThat(r.verdict()).as(r.report()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void unansweredCasEitherWay() {
        CheckResult applied = check(write("a", 0, 10), cas("a", "b", true, 20, 30).asUnknown(), read("b", 40, 50));
        assertThat(applied.verdict()).as(applied.report()).isEqualTo(Verdict.LINEARIZABLE);
        CheckResult notApplied = check(write("a", 0, 10), cas("a", "b", true, 20, 30).asUnknown(), read("a", 40, 50));
        assertThat(notApplied.verdict()).as(notApplied.report()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void failedAndUnansweredReadsAreIgnored() {
        Op failedRead = new Op(ids++, 1, "k", Op.Kind.READ, null, null, Op.Outcome.FAIL, null, false, 0, 5, 0, "x");
        CheckResult r = check(write("a", 0, 10), read("zzz", 20, 30).asUnknown(), failedRead, read("a", 40, 50));
        assertThat(r.verdict()).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(r.opsIgnored()).isEqualTo(2);
        assertThat(r.opsChecked()).isEqualTo(2);
    }

    @Test
    void callsThatTouchInTimeCountAsConcurrent() {
        // A read that ends exactly when a write starts may still have been ordered after it: no false alarm from clock ties.
        CheckResult r = check(write("a", 0, 10), read("b", 20, 30), write("b", 30, 40));
        assertThat(r.verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void randomLinearizableHistoriesPass() {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            List<Op> history = simulate(random, 6, 25, 3, round);
            CheckResult r = checker.check(history);
            assertThat(r.verdict()).as("round %d: %s", round, r.report()).isEqualTo(Verdict.LINEARIZABLE);
        }
    }

    @Test
    void randomHistoriesWithAStaleReadAppendedAreFlagged() {
        Random random = new Random(7);
        for (int round = 0; round < 100; round++) {
            List<Op> history = new ArrayList<>(simulate(random, 4, 20, 1, round));
            // After everything completed, read a value that some acknowledged write overwrote.
            List<Op> acked = history.stream()
                    .filter(o -> o.outcome() == Op.Outcome.OK && o.kind() == Op.Kind.WRITE).toList();
            Op last = acked.stream().max(Comparator.comparingLong(Op::completeNanos)).orElseThrow();
            Op overwritten = acked.stream().filter(o -> o.completeNanos() < last.invokeNanos()).findFirst().orElse(null);
            if (overwritten == null) {
                continue;
            }
            long end = history.stream().filter(o -> o.outcome() != Op.Outcome.UNKNOWN)
                    .mapToLong(Op::completeNanos).max().orElseThrow();
            // No unknown write may carry the overwritten value: values are unique per write.
            history.add(Op.read(100_000, 9, overwritten.key(), overwritten.value(), end + 1, end + 2));
            CheckResult r = checker.check(history);
            assertThat(r.verdict()).as("round %d: %s", round, r.report()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        }
    }

    @Test
    void pathologicalHistoryEndsUndecidedWithinItsBound() {
        // 40 unanswered writes all in flight, then a read no order can explain: the search would
        // have to try every subset of the writes before proving it; the bound stops it first.
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ops.add(write("w" + i, i, i + 1).asUnknown());
            ops.add(read(i % 2 == 0 ? null : "w" + (i - 1), 1000 + 2L * i, 1001 + 2L * i));
        }
        ops.add(read("never-written", 5000, 5001));
        LinearizabilityChecker small = LinearizabilityChecker.bounded(200_000, 100_000, Duration.ofSeconds(20));
        long start = System.nanoTime();
        CheckResult r = small.check(ops);
        assertThat(r.verdict()).as(r.report()).isEqualTo(Verdict.UNKNOWN);
        assertThat(r.report()).contains("search bound reached");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }

    /**
     * A history of a real register: each call gets a random interval and a random linearization
     * point inside it; answers come from applying the calls in point order. Some calls lose their answer.
     */
    static List<Op> simulate(Random random, int processes, int opsPerProcess, int keys, int round) {
        record Planned(int process, String key, Op.Kind kind, String value, String expected, long from, long point, long to) {
        }
        List<Planned> planned = new ArrayList<>();
        for (int p = 0; p < processes; p++) {
            long t = random.nextInt(10);
            for (int i = 0; i < opsPerProcess; i++) {
                long from = t + random.nextInt(5);
                long to = from + 1 + random.nextInt(30);
                long point = from + random.nextInt((int) (to - from) + 1);
                String key = "k" + random.nextInt(keys);
                int dice = random.nextInt(10);
                Op.Kind kind = dice < 4 ? Op.Kind.READ : dice < 7 ? Op.Kind.WRITE : Op.Kind.CAS;
                String value = kind == Op.Kind.READ ? null : "r" + round + "p" + p + "-" + i;
                String expected = kind == Op.Kind.CAS && random.nextBoolean() ? null : "r" + round + "p"
                        + random.nextInt(processes) + "-" + random.nextInt(Math.max(1, i));
                planned.add(new Planned(p, key, kind, value, expected, from, point, to));
                t = to + 1;
            }
        }
        List<Planned> byPoint = new ArrayList<>(planned);
        byPoint.sort(Comparator.comparingLong(Planned::point));
        java.util.Map<String, String> state = new java.util.HashMap<>();
        List<Op> ops = new ArrayList<>();
        int id = 0;
        for (Planned c : byPoint) {
            String current = state.get(c.key());
            Op op = switch (c.kind()) {
                case READ -> Op.read(id++, c.process(), c.key(), current, c.from(), c.to());
                case WRITE -> {
                    state.put(c.key(), c.value());
                    yield Op.write(id++, c.process(), c.key(), c.value(), c.from(), c.to());
                }
                case CAS -> {
                    boolean holds = java.util.Objects.equals(current, c.expected());
                    if (holds) {
                        state.put(c.key(), c.value());
                    }
                    yield Op.cas(id++, c.process(), c.key(), c.expected(), c.value(), holds, c.from(), c.to());
                }
            };
            // A lost answer: only for calls whose effect (if any) happened, as a timed-out call's may have.
            ops.add(random.nextInt(20) == 0 ? op.asUnknown() : op);
        }
        return ops;
    }
}
