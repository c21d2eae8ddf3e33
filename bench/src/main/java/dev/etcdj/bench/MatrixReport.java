package dev.etcdj.bench;

import dev.etcdj.bench.driver.Drivers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders the matrix's results as markdown tables of medians and ratios. */
final class MatrixReport {

    private MatrixReport() {}

    /** Median of one headline over the rounds of (scenario, target, driver); NaN when not measured. */
    static double value(List<Result> results, String scenario, String target, String driver, String metric) {
        List<Double> v = new ArrayList<>();
        for (Result r : results) {
            if (r.workload().equals(scenario) && r.target().equals(target) && r.driver().equals(driver)) {
                for (Comparison.Headline h : Comparison.headlines(r)) {
                    if (h.name().equals(metric)) {
                        v.add(h.value());
                    }
                }
            }
        }
        return Comparison.median(v);
    }

    /** The headline names and directions that some result of the scenario has, in order. */
    static Map<String, Boolean> metrics(List<Result> results, String scenario) {
        Map<String, Boolean> m = new LinkedHashMap<>();
        for (Result r : results) {
            if (r.workload().equals(scenario)) {
                for (Comparison.Headline h : Comparison.headlines(r)) {
                    m.putIfAbsent(h.name(), h.higherIsBetter());
                }
            }
        }
        return m;
    }

    static String render(List<Result> results, List<Scenarios.Scenario> scenarios, List<String> targets,
                         List<String> clients, Map<String, CheckPerf.Report> checkPerf) {
        StringBuilder sb = new StringBuilder();
        String ours = clients.get(0);
        boolean go = results.stream().anyMatch(r -> r.driver().equals(GoReference.DRIVER));
        for (String target : targets) {
            sb.append("\n### Clients against ").append(target).append("\n\n");
            sb.append("| scenario | metric |");
            for (String c : clients) {
                sb.append(' ').append(c).append(" |");
            }
            for (int i = 1; i < clients.size(); i++) {
                sb.append(' ').append(ours).append('/').append(clients.get(i)).append(" |");
            }
            if (go) {
                sb.append(" go | ").append(ours).append("/go |");
            }
            sb.append('\n').append("|---|---|").append("---:|".repeat(clients.size() * 2 - 1 + (go ? 2 : 0))).append('\n');
            for (Scenarios.Scenario s : scenarios) {
                metrics(results, s.name()).forEach((metric, higher) -> {
                    double mine = value(results, s.name(), target, ours, metric);
                    boolean any = clients.stream().anyMatch(c -> !Double.isNaN(value(results, s.name(), target, c, metric)));
                    if (!any) {
                        return;
                    }
                    sb.append("| ").append(s.name()).append(" | ").append(metric).append(" |");
                    for (String c : clients) {
                        sb.append(' ').append(Comparison.num(value(results, s.name(), target, c, metric))).append(" |");
                    }
                    for (int i = 1; i < clients.size(); i++) {
                        sb.append(' ').append(ratio(mine, value(results, s.name(), target, clients.get(i), metric), higher))
                                .append(" |");
                    }
                    if (go) {
                        double g = value(results, s.name(), target, GoReference.DRIVER, metric);
                        sb.append(' ').append(Comparison.num(g)).append(" | ").append(ratio(mine, g, higher)).append(" |");
                    }
                    sb.append('\n');
                });
            }
        }
        if (targets.size() > 1) {
            // Through our client and, when it ran, through Go's: the latter takes our client out of the
            // server comparison entirely. Through our client with watch coalescing off too, when it ran:
            // coalesced, a hundred watches of one prefix are one watch to the server.
            List<String> through = new ArrayList<>(List.of(ours));
            if (clients.contains(Drivers.ETCDJ_UNCOALESCED)) {
                through.add(Drivers.ETCDJ_UNCOALESCED);
            }
            if (go) {
                through.add(GoReference.DRIVER);
            }
            for (String client : through) {
                serverTable(sb, results, scenarios, targets, client);
            }
        }
        if (!checkPerf.isEmpty()) {
            sb.append("\n### etcdctl check perf --load s (60 s, 150 puts/s over 50 clients, 256 B keys, 1 KiB values)\n\n");
            sb.append("| target | client | writes/s | slowest ms | stddev ms | errors |\n|---|---|---:|---:|---:|---:|\n");
            checkPerf.forEach((target, rep) -> {
                sb.append(String.format("| %s | etcdctl (Go) | %.0f | %.1f | %.1f | %s |%n", target, rep.writesPerSecond(),
                        rep.slowestSeconds() * 1000, rep.stddevSeconds() * 1000, rep.pass() ? "0 (PASS)" : "FAIL"));
                for (Result r : results) {
                    if (r.workload().equals("check-perf-s") && r.target().equals(target)) {
                        sb.append(String.format("| %s | %s | %.0f | %.1f | %.1f | %d |%n", target, r.driver(),
                                r.throughput(), r.latency().max(), r.latency().stddev(), r.errors()));
                    }
                }
            });
        }
        sb.append("\nRatios are ours/theirs: above 1 is better for throughput, below 1 is better for latency and heap.\n");
        return sb.toString();
    }

    private static void serverTable(StringBuilder sb, List<Result> results, List<Scenarios.Scenario> scenarios,
                                    List<String> targets, String client) {
        String base = targets.get(0);
        sb.append("\n### Servers, through ").append(client).append("\n\n| scenario | metric |");
        targets.forEach(t -> sb.append(' ').append(t).append(" |"));
        targets.subList(1, targets.size()).forEach(t -> sb.append(' ').append(t).append('/').append(base).append(" |"));
        sb.append("\n|---|---|").append("---:|".repeat(targets.size() * 2 - 1)).append('\n');
        for (Scenarios.Scenario s : scenarios) {
            metrics(results, s.name()).forEach((metric, higher) -> {
                // Client-side heap says nothing about the server.
                if (metric.contains("MB")) {
                    return;
                }
                double b = value(results, s.name(), base, client, metric);
                if (Double.isNaN(b) && targets.stream().allMatch(t -> Double.isNaN(value(results, s.name(), t, client, metric)))) {
                    return;
                }
                sb.append("| ").append(s.name()).append(" | ").append(metric).append(" |");
                targets.forEach(t -> sb.append(' ').append(Comparison.num(value(results, s.name(), t, client, metric)))
                        .append(" |"));
                targets.subList(1, targets.size()).forEach(t -> sb.append(' ')
                        .append(ratio(value(results, s.name(), t, client, metric), b, higher)).append(" |"));
                sb.append('\n');
            });
        }
    }

    private static String ratio(double ours, double theirs, boolean higherIsBetter) {
        if (Double.isNaN(ours) || Double.isNaN(theirs) || theirs == 0) {
            return "-";
        }
        double r = ours / theirs;
        boolean better = higherIsBetter ? r > 1 : r < 1;
        return String.format("%.2fx%s", r, better ? " ✓" : "");
    }
}
