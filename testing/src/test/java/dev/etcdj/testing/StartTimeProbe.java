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
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        List<Double> ms = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            EtcdServer server = EtcdServer.builder().inMemory().listenClientUrls(List.of("http://127.0.0.1:0")).build();
            server.start();
            ms.add((System.nanoTime() - t0) / 1e6);
            cpu.add((os.getProcessCpuTime() - c0) / 1e6);
            server.close();
        }
        double[] warm = ms.subList(1, ms.size()).stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] warmCpu = cpu.subList(1, cpu.size()).stream().mapToDouble(Double::doubleValue).sorted().toArray();
        // Wall time counts the waits of a loaded machine; CPU time (all threads of the JVM) does not.
        System.out.printf("START cold %.1f ms (cpu %.0f ms), warm median %.1f ms (cpu %.0f ms; wall min %.1f, max %.1f, %d starts)%n",
                ms.get(0), cpu.get(0), warm[warm.length / 2], warmCpu[warmCpu.length / 2], warm[0], warm[warm.length - 1],
                warm.length);
        System.out.println("START all " + Arrays.toString(ms.stream().mapToLong(Math::round).toArray()));
    }
}
