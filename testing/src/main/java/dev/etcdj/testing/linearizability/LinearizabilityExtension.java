package dev.etcdj.testing.linearizability;

import java.util.Objects;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test a fresh {@link HistoryRecorder} and {@link WatchLog} as parameters and, after the
 * test, checks what they recorded: the history must be linearizable and the watch streams ordered,
 * gap-free and duplicate-free against it. A failure names the call no order could place. The
 * report (ops checked, verdict) is published as a JUnit report entry either way.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final LinearizabilityExtension lin = LinearizabilityExtension.create();
 *
 * @Test
 * void myEtcd(HistoryRecorder history) throws Exception {
 *     RegisterWorkload.Run run = RegisterWorkload.builder().build()
 *             .start(p -> new MyClientAdapter("http://10.0.0.1:2379"), history);
 *     ... faults of your own ...
 *     run.stop(Duration.ofSeconds(30));
 * }   // checked here
 * }</pre>
 *
 * A history the bounded search cannot decide fails the test too (it is no evidence), unless
 * {@link #allowUndecided()} was asked for.
 */
public final class LinearizabilityExtension implements ParameterResolver, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LinearizabilityExtension.class);

    private final LinearizabilityChecker checker;
    private final boolean failOnUndecided;
    private volatile CheckResult lastResult;
    private volatile WatchChecker.Result lastWatchResult;

    private LinearizabilityExtension(LinearizabilityChecker checker, boolean failOnUndecided) {
        this.checker = Objects.requireNonNull(checker, "checker");
        this.failOnUndecided = failOnUndecided;
    }

    /** With {@link LinearizabilityChecker#create()}'s bounds. */
    public static LinearizabilityExtension create() {
        return new LinearizabilityExtension(LinearizabilityChecker.create(), true);
    }

    /** With a checker of other bounds. */
    public static LinearizabilityExtension with(LinearizabilityChecker checker) {
        return new LinearizabilityExtension(checker, true);
    }

    /** The same extension, but a history the search cannot decide within its bounds only gets reported. */
    public LinearizabilityExtension allowUndecided() {
        return new LinearizabilityExtension(checker, false);
    }

    /** The last test's linearizability result (null before the first check). */
    public CheckResult lastResult() {
        return lastResult;
    }

    /** The last test's watch check (null when it recorded no watch). */
    public WatchChecker.Result lastWatchResult() {
        return lastWatchResult;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == HistoryRecorder.class || type == WatchLog.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        ExtensionContext.Store store = extensionContext.getStore(NS);
        return type == HistoryRecorder.class
                ? store.getOrComputeIfAbsent(HistoryRecorder.class, k -> new HistoryRecorder(), HistoryRecorder.class)
                : store.getOrComputeIfAbsent(WatchLog.class, k -> new WatchLog(), WatchLog.class);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NS);
        HistoryRecorder recorder = store.get(HistoryRecorder.class, HistoryRecorder.class);
        WatchLog watches = store.get(WatchLog.class, WatchLog.class);
        lastResult = null;
        lastWatchResult = null;
        if (recorder == null || context.getExecutionException().isPresent()) {
            return; // nothing recorded, or the test already failed for its own reason
        }
        CheckResult result = checker.check(recorder.history());
        lastResult = result;
        context.publishReportEntry("linearizability", result.report());
        StringBuilder failure = new StringBuilder();
        if (result.verdict() == CheckResult.Verdict.NOT_LINEARIZABLE
                || (failOnUndecided && result.verdict() == CheckResult.Verdict.UNKNOWN)) {
            failure.append(result.report());
        }
        if (watches != null && !watches.segments().isEmpty()) {
            WatchChecker.Result w = WatchChecker.check(recorder.history(), watches);
            lastWatchResult = w;
            context.publishReportEntry("watch", w.report());
            if (!w.ok()) {
                failure.append(failure.length() == 0 ? "" : "\n").append(w.report());
            }
        }
        if (failure.length() > 0) {
            throw new AssertionError(failure.toString());
        }
    }
}
