package dev.etcdj.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.etcdj.bench.servers.EtcdProcess;
import dev.etcdj.bench.servers.Target;
import dev.etcdj.client.Bytes;
import dev.etcdj.client.CompactedException;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.Options;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The matrix compacts each server's history before a scenario: on both servers the history before
 * the step is gone afterwards, and a second step with nothing written since is no error.
 */
class MatrixCompactionIT {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @ParameterizedTest
    @ValueSource(strings = {"etcd", "etcdj-server"})
    void eachScenarioStartsFromACompactedHistory(String server) throws InterruptedException {
        try (Target target = MatrixCommand.start(server, EtcdProcess.DEFAULT_BINARY);
             EtcdClient client = EtcdClient.builder().endpoints(target.endpoints()).build()) {
            Bytes key = Bytes.of("it-compaction/key");
            long first = client.kv().put(key, Bytes.of("one")).join().header().revision();
            client.kv().put(key, Bytes.of("two")).join();

            MatrixCommand.compactHistory(target.endpoints(), QUIET);

            assertThat(client.kv().get(key, Options.revision(first)))
                    .failsWithin(Duration.ofSeconds(30))
                    .withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(CompactedException.class);
            assertThat(client.kv().get(key).join().kvs().get(0).value()).isEqualTo(Bytes.of("two"));
            assertThatCode(() -> MatrixCommand.compactHistory(target.endpoints(), QUIET))
                    .as("nothing written since the last compaction")
                    .doesNotThrowAnyException();
        }
    }
}
