package dev.etcdj.cli.check;

import dev.etcdj.cli.serve.log.GoDuration;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The progress line etcdctl's check commands draw (the {@code cheggaaa/pb} v1 bar they use, with its
 * "Bom !" bar style): {@code \r 12 / 60   20.00% 00m47s} redrawn every 200 ms, and on finish the
 * final count with the elapsed time and a newline. Without a terminal (the usual case when the
 * output is captured) pb draws no bar, only counters, percentage and time left; with one it fills
 * the terminal width ({@code $COLUMNS}, else 80) with the bar.
 */
public final class ProgressBar implements AutoCloseable {

    private static final long REFRESH_MILLIS = 200;

    private final PrintStream out;
    private final long total;
    private final int width;
    private final AtomicLong current = new AtomicLong();
    private final long startNanos = System.nanoTime();
    private volatile long changeNanos = startNanos;
    private final ScheduledExecutorService ticker;
    private boolean finished;

    private ProgressBar(PrintStream out, long total, int width) {
        this.out = out;
        this.total = total;
        this.width = width;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "check-progress");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts drawing a bar counting to {@code total} on {@code out}. */
    public static ProgressBar start(PrintStream out, long total, java.util.Map<String, String> env) {
        int width = 0;
        if (System.console() != null) {
            width = 80;
            try {
                width = Integer.parseInt(env.getOrDefault("COLUMNS", "80").trim());
            } catch (NumberFormatException e) {
                // An unusable $COLUMNS: keep pb's fallback width, as its terminal query would.
                width = 80;
            }
        }
        ProgressBar bar = new ProgressBar(out, total, width);
        bar.draw(false);
        bar.ticker.scheduleAtFixedRate(() -> bar.draw(false), REFRESH_MILLIS, REFRESH_MILLIS, TimeUnit.MILLISECONDS);
        return bar;
    }

    public void add(long n) {
        current.addAndGet(n);
        changeNanos = System.nanoTime();
    }

    public void increment() {
        add(1);
    }

    /** Draws the final line (count and elapsed time) and ends it with a newline; once. */
    public synchronized void finish() {
        if (finished) {
            return;
        }
        ticker.shutdownNow();
        draw(true);
        out.println();
        out.flush();
        finished = true;
    }

    @Override
    public void close() {
        finish();
    }

    private synchronized void draw(boolean last) {
        if (finished) {
            return;
        }
        out.print("\r" + line(total, current.get(), System.nanoTime() - startNanos, changeNanos - startNanos, last,
                width));
        out.flush();
    }

    /** One drawing of the bar; times in nanoseconds since the start. Package-visible for its test. */
    static String line(long total, long current, long elapsed, long sinceStartAtChange, boolean last, int width) {
        double percent = total > 0 ? current / (total / 100d) : current / 100d;
        String percentBox = String.format(Locale.ROOT, " %6.2f%%", percent);
        String counters = total > 0 ? " " + current + " / " + total + " " : " " + current + " / ? ";
        String timeLeft = "";
        long second = 1_000_000_000L;
        if (last) {
            timeLeft = " " + GoDuration.format(java.time.Duration.ofNanos(elapsed / second * second));
        } else if (current > 0 && total > 0) {
            long perEntry = sinceStartAtChange / current;
            long left = (total - current) * perEntry - (elapsed - sinceStartAtChange);
            left = left / second * second;
            if (left > 0) {
                timeLeft = " " + clock(left);
            }
        }
        String bar = "";
        int size = width - (counters.length() + 2 + percentBox.length() + timeLeft.length());
        if (size > 0 && total > 0) {
            int cur = (int) Math.min(size, Math.ceil((double) current / total * size));
            int empty = Math.max(0, size - cur);
            StringBuilder b = new StringBuilder("B");
            if (empty <= 0) {
                b.append("o".repeat(cur));
            } else if (cur > 0) {
                b.append("o".repeat(Math.max(0, cur - 1))).append('m');
            }
            b.append(" ".repeat(empty)).append('!');
            bar = b.toString();
        }
        String out = counters + bar + percentBox + timeLeft;
        return out.length() < width ? out + " ".repeat(width - out.length()) : out;
    }

    /** pb's time-left format: 00m47s, 1h02m03s, 2d3h00m00s. */
    static String clock(long nanos) {
        long s = nanos / 1_000_000_000L;
        StringBuilder sb = new StringBuilder();
        long day = 86_400;
        if (s > day) {
            sb.append(s / day).append('d');
            s %= day;
        }
        if (s > 3600) {
            sb.append(s / 3600).append('h');
            s %= 3600;
        }
        return sb.append(String.format(Locale.ROOT, "%02dm%02ds", s / 60, s % 60)).toString();
    }
}
