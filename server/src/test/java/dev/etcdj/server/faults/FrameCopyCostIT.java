package dev.etcdj.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.etcdj.proto.etcdserverpb.CompactionRequest;
import dev.etcdj.proto.etcdserverpb.KVGrpc;
import dev.etcdj.proto.etcdserverpb.PutRequest;
import dev.etcdj.server.internal.storage.Backend;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What {@code http.FrameCopier} (one copy of every inbound HTTP/2 frame) costs: the server's CPU time
 * (user + system of its process, from /proc: not wall time, the box is shared) per put, for small
 * puts and for 1 MiB puts, with the copy and without it ({@code -Detcdj.internal.copyInboundFrames=false}).
 * Each round starts a fresh server (own JVM, durable data dir) per setting, alternating which goes
 * first, warms it up, then measures. A measurement, not a CI test:
 * {@code -Detcdj.evidence.frameCopyCost=true}; sizes {@code -Detcdj.evidence.smallPuts} (100,000),
 * {@code -Detcdj.evidence.bigPuts} (1,000), rounds {@code -Detcdj.evidence.rounds} (2).
 * Figures go to {@code target/frame-copy-cost.txt}.
 */
@EnabledIfSystemProperty(named = "etcdj.evidence.frameCopyCost", matches = "true")
class FrameCopyCostIT {
    private static final List<String> FIGURES = new ArrayList<>();

    @AfterAll
    static void write() throws Exception {
        Reports.write("frame-copy-cost.txt", FIGURES);
    }

    @Test
    void cpuPerPutWithAndWithoutTheFrameCopy() throws Exception {
        int small = Integer.getInteger("etcdj.evidence.smallPuts", 100_000);
        int big = Integer.getInteger("etcdj.evidence.bigPuts", 1_000);
        int rounds = Integer.getInteger("etcdj.evidence.rounds", 2);
        double[][] perOp = new double[2][2]; // [copy][small|big], summed over rounds
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < 2; k++) {
                boolean copy = (round + k) % 2 == 0;
                double[] r = measure(copy, small, big);
                perOp[copy ? 1 : 0][0] += r[0] / rounds;
                perOp[copy ? 1 : 0][1] += r[1] / rounds;
                record(String.format("round %d, copy %s: small put %.1f µs CPU, 1 MiB put %.1f µs CPU%s", round,
                        copy ? "on " : "off", r[0] / 1e3, r[1] / 1e3, load()));
            }
        }
        record(String.format("mean of %d rounds: small put %.1f µs (copy) vs %.1f µs (no copy): %+.1f%%;"
                        + " 1 MiB put %.1f µs vs %.1f µs: %+.1f%%", rounds,
                perOp[1][0] / 1e3, perOp[0][0] / 1e3, 100 * (perOp[1][0] / perOp[0][0] - 1),
                perOp[1][1] / 1e3, perOp[0][1] / 1e3, 100 * (perOp[1][1] / perOp[0][1] - 1)));
    }

    private static void record(String line) {
        System.out.println("frame copy cost: " + line);
        FIGURES.add(line);
    }

    private static String load() throws Exception {
        return " (load average " + Files.readString(Path.of("/proc/loadavg")).split(" ")[0] + ")";
    }

    /** One fresh server: its CPU nanoseconds per small put and per 1 MiB put. */
    @SuppressWarnings("unchecked")
    private static double[] measure(boolean copy, int small, int big) throws Exception {
        Path dir = Files.createTempDirectory("etcdj-copy-cost-");
        try (Node node = new Node(false, dir.resolve("data"), dir.resolve("log"))) {
            node.jvmArgs("-Detcdj.internal.copyInboundFrames=" + copy);
            node.start();
            KVGrpc.KVStub kv = KVGrpc.newStub(node.channel());
            ByteString smallValue = ByteString.copyFrom(new byte[100]);
            ResourceFiguresIT.Op smallPut = (int i, StreamObserver done) -> kv.put(PutRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8(String.format("key/%08d", i % 10_000))).setValue(smallValue).build(), done);
            ByteString bigValue = ByteString.copyFrom(new byte[1 << 20]);
            ResourceFiguresIT.Op bigPut = (int i, StreamObserver done) -> kv.put(PutRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8("big/" + i % 8)).setValue(bigValue).build(), done);
            ResourceFiguresIT.pipeline(small / 5, 128, smallPut); // warm-up: JIT, RocksDB caches
            ResourceFiguresIT.pipeline(big / 10, 4, bigPut);
            compact(node);
            long c0 = node.cpuNanos();
            ResourceFiguresIT.pipeline(small, 128, smallPut);
            long c1 = node.cpuNanos();
            compact(node);
            long c2 = node.cpuNanos();
            ResourceFiguresIT.pipeline(big, 4, bigPut);
            long c3 = node.cpuNanos();
            assertThat(Files.readString(node.log)).doesNotContain("Exception");
            return new double[] {(double) (c1 - c0) / small, (double) (c3 - c2) / big};
        } finally {
            Backend.deleteRecursively(dir);
        }
    }

    private static void compact(Node node) {
        long rev = node.kv().put(PutRequest.newBuilder().setKey(Node.bs("rev")).build()).getHeader().getRevision();
        KVGrpc.newBlockingStub(node.channel()).withDeadlineAfter(60, TimeUnit.SECONDS)
                .compact(CompactionRequest.newBuilder().setRevision(rev).setPhysical(true).build());
    }
}
