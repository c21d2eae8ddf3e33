package dev.etcdj.testing;

import dev.etcdj.server.EtcdServer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Measures how long an in-memory server takes from {@code build()} to serving (its {@code start()}
 * returns once it listens): the first start in this JVM (cold) and the later ones (warm). Not a
 * test: run it in a fresh JVM, e.g. {@code java -cp <test class path> dev.etcdj.testing.StartTimeProbe 20}.
 */
public final class StartTimeProbe {
    private StartTimeProbe() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            EtcdServer server = EtcdServer.builder().inMemory().listenClientUrls(List.of("http://127.0.0.1:0")).build();
            server.start();
            ms.add((System.nanoTime() - t0) / 1e6);
            server.close();
        }
        double[] warm = ms.subList(1, ms.size()).stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf("START cold %.1f ms, warm median %.1f ms (min %.1f, max %.1f, %d starts)%n",
                ms.get(0), warm[warm.length / 2], warm[0], warm[warm.length - 1], warm.length);
        System.out.println("START all " + Arrays.toString(ms.stream().mapToLong(Math::round).toArray()));
    }
}
