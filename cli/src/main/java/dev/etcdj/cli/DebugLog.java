package dev.etcdj.cli;

import dev.etcdj.cli.serve.log.GoDuration;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.EventListener;
import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * etcdctl's {@code --debug}: before its first client is made, the global flags as
 * {@code ETCDCTL_<FLAG>=<value>} lines on stderr, sorted by name, with the values in effect (flag,
 * environment or default) written as Go prints them; then the client's activity on stderr.
 *
 * <p>etcdctl turns on gRPC-Go's own logger there (channel and subchannel state changes, resolver
 * updates). etcdj's client has no such internals to show: it logs each call it makes, retries and
 * endpoint changes, through its {@link EventListener}, in the same {@code LEVEL: date time} line
 * prefix but with etcdj's own messages.
 */
final class DebugLog {

    private static final DateTimeFormatter GRPCLOG_TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");

    private DebugLog() {}

    /** The global flags of {@code command} (those inherited from the root), as etcdctl's debug prints them. */
    static void printFlags(CommandSpec command, PrintStream err) {
        List<OptionSpec> global = command.options().stream()
                .filter(o -> command.parent() == null ? !o.usageHelp() : o.inherited())
                .sorted(Comparator.comparing(Usage::longName)).toList();
        for (OptionSpec o : global) {
            err.println("ETCDCTL_" + Usage.longName(o).toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "="
                    + goValue(o.getValue()));
        }
    }

    /** pflag's Value.String() of a flag's value. */
    static String goValue(Object v) {
        if (v instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) {
                sb.append(i > 0 ? "," : "").append(l.get(i));
            }
            return sb.append(']').toString();
        }
        if (v instanceof Duration d) {
            return GoDuration.format(d);
        }
        return v == null ? "" : v.toString();
    }

    /** The client's calls, retries and endpoint changes on {@code err}. */
    static EventListener listener(PrintStream err) {
        return new EventListener() {
            @Override
            public void callStart(String method, String endpoint) {
                log("INFO", "call " + method + " to " + endpoint);
            }

            @Override
            public void callEnd(String method, String endpoint, Duration duration, Outcome outcome, EtcdException error) {
                log(error == null ? "INFO" : "WARNING", "call " + method + " to " + endpoint + " ended: " + outcome
                        + " after " + GoDuration.format(duration) + (error == null ? "" : " (" + error.getMessage() + ")"));
            }

            @Override
            public void retry(String method, String endpoint, int attempt, Duration backoff, EtcdException cause) {
                log("WARNING", "retrying " + method + " (attempt " + attempt + ") after " + GoDuration.format(backoff)
                        + ": " + cause.getMessage());
            }

            @Override
            public void endpointSwitch(String from, String to) {
                log("INFO", "switching endpoint from " + from + " to " + to);
            }

            @Override
            public void endpointsChanged(List<String> endpoints) {
                log("INFO", "endpoints are now " + endpoints);
            }

            @Override
            public void streamOpened(String stream, String endpoint) {
                log("INFO", stream + " stream open to " + endpoint);
            }

            @Override
            public void streamBroken(String stream, String endpoint, EtcdException cause, boolean permanent) {
                log("WARNING", stream + " stream to " + endpoint + " broke" + (permanent ? " for good: " : ": ")
                        + cause.getMessage());
            }

            @Override
            public void streamResumed(String stream, String endpoint, Duration downtime) {
                log("INFO", stream + " stream to " + endpoint + " resumed after " + GoDuration.format(downtime));
            }

            private void log(String level, String message) {
                err.println(level + ": " + LocalDateTime.now().format(GRPCLOG_TIME) + " [etcdj] " + message);
            }
        };
    }
}
