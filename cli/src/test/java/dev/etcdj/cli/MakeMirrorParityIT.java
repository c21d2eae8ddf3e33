package dev.etcdj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.cli.EtcdctlParityIT.Result;
import dev.etcdj.cli.EtcdctlParityIT.Step;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.Options;
import dev.etcdj.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * etcdctl's {@code make-mirror} against etcdj's: the same argument errors and help, and both copy a
 * prefix from one server to another and then follow it live, between real etcd and our server in
 * either direction (the migration path: etcdj to a real cluster, or a real cluster to etcdj).
 */
class MakeMirrorParityIT {

    private static final Duration T = Duration.ofSeconds(30);
    @RegisterExtension
    final Background bg = new Background();

    @Test
    void argumentErrorsAndHelpMatchEtcdctl() throws Exception {
        List<String> global = List.of("--endpoints", bg.server("etcd"));
        for (Step s : List.of(Step.of("make-mirror"), Step.of("make-mirror", "a", "b"),
                Step.of("make-mirror", "--dest-prefix", "x", "--no-dest-prefix", "127.0.0.1:1"),
                Step.of("make-mirror", "--help"))) {
            Result expected = AdminRunner.etcdctl(global, s);
            Result actual = AdminRunner.etcdj(global, s);
            assertThat(actual).as(String.join(" ", s.args())).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"etcd->etcdj", "etcdj->etcd"})
    void bothMirrorAPrefixAndFollowItLive(String direction) throws Exception {
        String source = direction.startsWith("etcd->") ? bg.server("etcd") : bg.server("etcdj");
        String dest = direction.startsWith("etcd->") ? bg.server("etcdj") : bg.server("etcd");
        try (EtcdClient src = EtcdClient.builder().endpoints(source).build();
             EtcdClient dst = EtcdClient.builder().endpoints(dest).build()) {
            for (int i = 0; i < 20; i++) {
                src.kv().put("src/k" + i, "v" + i).join();
            }
            src.kv().put("other/x", "not mirrored").join();
            Background.Bg etcdctl = bg.etcdctl(source, "make-mirror", "--prefix", "src/", "--dest-prefix", "byctl/", dest);
            Background.InProcess etcdj = bg.etcdj(source, "make-mirror", "--prefix", "src/", "--dest-prefix", "byj/", dest);
            Await.until(T, "both copied the base", () -> under(dst, "byctl/").size() == 20 && under(dst, "byj/").size() == 20);

            // Live: overwrites, deletes, a txn and a delete range after the copy.
            src.kv().put("src/k0", "changed").join();
            src.kv().delete("src/k1").join();
            src.kv().txn().then(dev.etcdj.client.Op.put("src/new", "n"), dev.etcdj.client.Op.delete("src/k2")).commit().join();
            src.kv().delete("src/k1", Options.range("src/k19")).join(); // k1..k18 in key order
            Map<String, String> want = strip(under(src, "src/"), "src/");
            Await.until(T, "both followed the changes", () -> strip(under(dst, "byctl/"), "byctl/").equals(want)
                    && strip(under(dst, "byj/"), "byj/").equals(want));
            assertThat(want).containsEntry("k0", "changed").containsEntry("new", "n").doesNotContainKey("k2");
            assertThat(under(dst, "other/")).isEmpty();
            assertThat(etcdctl.process().isAlive()).isTrue();
            assertThat(etcdj.code()).isNotDone();

            etcdj.interrupted().complete(null);
            etcdj.code().get(30, TimeUnit.SECONDS);
            etcdctl.process().destroy();
            assertThat(etcdctl.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            // Neither printed anything within its first 30 s (both print the count every 30 s), nor an error.
            assertThat(etcdj.err()).isEmpty();
        }
    }

    private static Map<String, String> under(EtcdClient c, String prefix) {
        Map<String, String> m = new TreeMap<>();
        for (KeyValue kv : c.kv().get(prefix, Options.prefix()).join().kvs()) {
            m.put(kv.key().toStringUtf8(), kv.value().toStringUtf8());
        }
        return m;
    }

    private static Map<String, String> strip(Map<String, String> m, String prefix) {
        Map<String, String> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k.substring(prefix.length()), v));
        return out;
    }
}
