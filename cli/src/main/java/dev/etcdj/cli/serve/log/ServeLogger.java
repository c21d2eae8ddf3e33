package dev.etcdj.cli.serve.log;

import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.LoggingEventAware;

/**
 * An SLF4J 2 logger writing to the {@link LogSink}. It receives fluent-API events whole
 * ({@link LoggingEventAware}), so their key-value pairs become the line's fields, as zap's are.
 */
final class ServeLogger extends LegacyAbstractLogger implements LoggingEventAware {

    private final String pkg;

    ServeLogger(String name) {
        this.name = name;
        int last = name.lastIndexOf('.');
        int prev = last < 0 ? -1 : name.lastIndexOf('.', last - 1);
        this.pkg = last < 0 ? name : name.substring(prev + 1, last);
    }

    @Override
    public void log(LoggingEvent event) {
        LogSink.Level level = level(event.getLevel());
        if (!LogSink.enabled(level)) {
            return;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        List<KeyValuePair> kvs = event.getKeyValuePairs();
        if (kvs != null) {
            for (KeyValuePair kv : kvs) {
                fields.put(kv.key, kv.value);
            }
        }
        emit(level, format(event.getMessage(), event.getArgumentArray()), fields, event.getThrowable());
    }

    @Override
    protected void handleNormalizedLoggingCall(org.slf4j.event.Level level, Marker marker, String messagePattern,
            Object[] arguments, Throwable throwable) {
        emit(level(level), format(messagePattern, arguments), new LinkedHashMap<>(), throwable);
    }

    /** The message with SLF4J's {} placeholders filled in, for the classic and the fluent API alike. */
    private static String format(String pattern, Object[] args) {
        return args == null || args.length == 0 ? pattern : MessageFormatter.basicArrayFormat(pattern, args);
    }

    private void emit(LogSink.Level level, String msg, Map<String, Object> fields, Throwable t) {
        if (t != null) {
            fields.putIfAbsent("error", t);
        }
        LogSink.write(new LogSink.Entry(ZonedDateTime.now(), level, pkg, LogSink.caller(), msg == null ? "" : msg, fields));
    }

    private static LogSink.Level level(org.slf4j.event.Level l) {
        return switch (l) {
            case TRACE, DEBUG -> LogSink.Level.DEBUG;
            case INFO -> LogSink.Level.INFO;
            case WARN -> LogSink.Level.WARN;
            case ERROR -> LogSink.Level.ERROR;
        };
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    public boolean isTraceEnabled() {
        return LogSink.enabled(LogSink.Level.DEBUG);
    }

    @Override
    public boolean isDebugEnabled() {
        return LogSink.enabled(LogSink.Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return LogSink.enabled(LogSink.Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return LogSink.enabled(LogSink.Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return LogSink.enabled(LogSink.Level.ERROR);
    }
}
