package dev.etcdj.cli.serve.log;

import java.io.PrintStream;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how {@code etcdj serve} writes its log: the level, the format (etcd 3.4's zap JSON lines
 * or its capnslog text lines) and the outputs ({@code --log-outputs}). One sink for the whole JVM:
 * SLF4J finds its provider once, so {@link #configure} swaps the sink under it.
 */
public final class LogSink {

    /** The levels of etcd's {@code --log-level}, lowest first. */
    public enum Level {
        DEBUG("debug", 'D'), INFO("info", 'I'), WARN("warn", 'W'), ERROR("error", 'E'),
        PANIC("panic", 'C'), FATAL("fatal", 'C');

        final String zapName;
        final char capnsLetter;

        Level(String zapName, char capnsLetter) {
            this.zapName = zapName;
            this.capnsLetter = capnsLetter;
        }

        /** etcd's names for {@code --log-level}; null for an unknown one. */
        public static Level parse(String s) {
            for (Level l : values()) {
                if (l.zapName.equals(s)) {
                    return l;
                }
            }
            return null;
        }
    }

    /** One log entry as the formats need it: caller like {@code apply/Applier.java:88}, fields in order. */
    public record Entry(ZonedDateTime time, Level level, String pkg, String caller, String msg,
            Map<String, Object> fields) {}

    /** A line format. */
    public interface Format {
        String line(Entry e);
    }

    // Before serve configures it, nothing below warn is written (an embedded server in `demo` stays quiet).
    private static volatile LogSink current = new LogSink(Level.WARN, new ZapJson(), List.of(System.err));

    private static final StackWalker WALKER = StackWalker.getInstance();

    final Level level;
    private final Format format;
    private final List<PrintStream> outputs;

    private LogSink(Level level, Format format, List<PrintStream> outputs) {
        this.level = level;
        this.format = Objects.requireNonNull(format);
        this.outputs = List.copyOf(outputs);
    }

    /** Makes every logger of this JVM write at {@code level} and above, in {@code format}, to {@code outputs}. */
    public static void configure(Level level, Format format, List<PrintStream> outputs) {
        current = new LogSink(level, format, outputs);
    }

    static LogSink current() {
        return current;
    }

    public static boolean enabled(Level l) {
        return l.compareTo(current.level) >= 0;
    }

    /** Logs one entry from code that is not behind SLF4J (the fatal lines, which SLF4J has no level for). */
    public static void log(String pkg, Level level, String msg, Map<String, Object> fields) {
        write(new Entry(ZonedDateTime.now(), level, pkg, caller(), msg, fields));
    }

    /** zap's short caller, {@code package/File.java:line}, of the first frame outside SLF4J and this package. */
    static String caller() {
        Optional<StackWalker.StackFrame> f = WALKER.walk(s -> s.filter(fr -> {
            String c = fr.getClassName();
            return !c.startsWith("org.slf4j.") && !c.startsWith(LogSink.class.getPackageName() + ".");
        }).findFirst());
        if (f.isEmpty()) {
            return "";
        }
        StackWalker.StackFrame fr = f.get();
        String cls = fr.getClassName();
        int last = cls.lastIndexOf('.');
        int prev = last < 0 ? -1 : cls.lastIndexOf('.', last - 1);
        String dir = last < 0 ? "" : cls.substring(prev + 1, last) + "/";
        return dir + fr.getFileName() + ":" + fr.getLineNumber();
    }

    /** Writes one entry (if its level is enabled): a whole line per output, never interleaved with another. */
    public static void write(Entry e) {
        LogSink s = current;
        if (e.level().compareTo(s.level) < 0) {
            return;
        }
        String line = s.format.line(e);
        for (PrintStream out : s.outputs) {
            synchronized (out) {
                out.println(line);
                out.flush();
            }
        }
    }
}
