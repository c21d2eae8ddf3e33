package dev.etcdj.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies of one measured phase, in nanoseconds. Any thread records without locking (HdrHistogram's
 * {@link Recorder}); one reader at a time drains what was recorded since its last look into an
 * interval histogram, for the progress line, and adds it to the running total.
 */
public final class LatencyStats {

    private final Recorder recorder = new Recorder(3);
    private final Histogram total = new Histogram(3);
    private Histogram recycled;

    public void record(long nanos) {
        recorder.recordValue(Math.max(0, nanos));
    }

    /** What was recorded since the previous call, also added to the total. */
    public synchronized Histogram drainInterval() {
        Histogram interval = recorder.getIntervalHistogram(recycled);
        total.add(interval);
        recycled = interval;
        return interval.copy();
    }

    /** Everything recorded so far (drains the recorder first). */
    public synchronized Histogram total() {
        drainInterval();
        return total.copy();
    }

    public LatencySummary summary() {
        return LatencySummary.of(total());
    }

    /** Several histograms as one, e.g. the per-round histograms of one driver. */
    public static Histogram merge(Iterable<Histogram> histograms) {
        Histogram merged = new Histogram(3);
        for (Histogram h : histograms) {
            merged.add(h);
        }
        return merged;
    }
}
