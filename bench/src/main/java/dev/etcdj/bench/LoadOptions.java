package dev.etcdj.bench;

import java.time.Duration;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * The options every workload shares, named as in etcd's {@code benchmark} tool where it has them.
 * Unset options keep the workload's own defaults (see {@link Defaults}).
 */
public final class LoadOptions {

    @Option(names = "--endpoints", split = ",", paramLabel = "URL",
            description = "etcd endpoints, comma separated (default: http://127.0.0.1:2379)")
    List<String> endpoints;

    @Option(names = "--conns", description = "client objects (gRPC connections) per client library")
    Integer conns;

    @Option(names = "--clients", description = "concurrent workers, spread over the connections")
    Integer clients;

    @Option(names = "--total", description = "requests to send (0: until --duration ends)")
    Long total;

    @Option(names = "--duration", converter = DurationConverter.class, paramLabel = "TIME",
            description = "stop after this long, e.g. 30s, 2m, 500ms (at most 10m)")
    Duration duration;

    @Option(names = "--warmup", description = "requests to send and discard first (default: total/10, at most 2000)")
    Long warmup;

    @Option(names = "--key-size", description = "key size in bytes (at least; keys are prefix + zero-padded index)")
    Integer keySize;

    @Option(names = {"--val-size", "--value-size"}, description = "value size in bytes")
    Integer valueSize;

    @Option(names = "--key-space-size", description = "number of distinct keys")
    Long keySpace;

    @Option(names = "--sequential-keys", description = "walk the key space in order instead of at random")
    Boolean sequential;

    @Option(names = "--rate", description = "requests per second over all workers (0: unlimited)")
    Double rate;

    @Option(names = "--prefix", description = "prefix of every key written; non-empty prefixes are deleted after the run")
    String prefix;

    @Option(names = "--wait", description = "each worker is a thread that waits on every call (future.get()), "
            + "as sequential application code does; default: workers go on from the thread that completed their last call")
    boolean waiting;

    @Option(names = "--no-progress", description = "no progress line each second")
    boolean noProgress;

    @Option(names = "--compare", split = ",", paramLabel = "CLIENT",
            description = "also run the workload through these clients (jetcd, etcdj-direct), alternating, and print ratios")
    List<String> compare;

    @Option(names = "--client", description = "the client library to measure (default: etcdj)")
    String client;

    @Option(names = "--rounds", description = "with --compare: rounds of alternation (default: 1)")
    Integer rounds;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the results as JSON to FILE (- for stdout)")
    String json;

    /** Applies the options that were given over the workload's defaults. */
    LoadConfig.Builder apply(LoadConfig.Builder b) {
        if (endpoints != null) b.endpoints(endpoints);
        if (conns != null) b.conns(conns);
        if (clients != null) b.clients(clients);
        if (total != null) b.total(total);
        if (duration != null) b.duration(duration);
        if (warmup != null) b.warmup(warmup);
        if (keySize != null) b.keySize(keySize);
        if (valueSize != null) b.valueSize(valueSize);
        if (keySpace != null) b.keySpace(keySpace);
        if (sequential != null) b.sequential(sequential);
        if (rate != null) b.rate(rate);
        if (prefix != null) b.prefix(prefix);
        b.progress(!noProgress);
        if (waiting) b.waiting(true);
        return b;
    }

    /** Parses 1500ms, 30s, 2m, 1h, or an ISO-8601 duration such as PT30S. */
    public static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return parse(value);
        }

        public static Duration parse(String value) {
            String v = value.trim().toLowerCase(java.util.Locale.ROOT);
            try {
                if (v.startsWith("pt")) {
                    return Duration.parse(value.trim());
                }
                if (v.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
                }
                long n = Long.parseLong(v.substring(0, v.length() - 1));
                return switch (v.charAt(v.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    default -> throw new IllegalArgumentException();
                };
            } catch (RuntimeException e) {
                throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not a duration (examples: 500ms, 30s, 2m)");
            }
        }
    }
}
