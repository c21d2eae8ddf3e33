package dev.etcdj.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.CompactResponse;
import dev.etcdj.client.DeleteResponse;
import dev.etcdj.client.Futures;
import dev.etcdj.client.GetResponse;
import dev.etcdj.client.KvClient;
import dev.etcdj.client.Op;
import dev.etcdj.client.OpResponse;
import dev.etcdj.client.PutResponse;
import dev.etcdj.client.ResponseHeader;
import dev.etcdj.client.TxnResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The ordering rule on a scripted KV: which revisions the server "answers" is chosen by the test. */
class OrderedKvTest {

    /** Answers each call at the next scripted revision. */
    private static final class ScriptedKv extends FakeKv {
        final Deque<Long> revisions = new ArrayDeque<>();

        ScriptedKv(long... revs) {
            for (long r : revs) {
                revisions.add(r);
            }
        }

        @Override
        ResponseHeader nextHeader() {
            return new ResponseHeader(1, 1, revisions.remove(), 2);
        }

        @Override
        public CompletableFuture<TxnResponse> commit(Op.Txn txn) {
            return execute(txn).thenApply(TxnResponse.class::cast);
        }

        @Override
        public CompletableFuture<CompactResponse> compact(long revision, boolean physical) {
            throw new AssertionError("not used");
        }
    }

    @Test
    void aStaleReadIsRetriedUntilItCatchesUp() {
        ScriptedKv server = new ScriptedKv(10, 7, 9, 12);
        List<String> violations = new ArrayList<>();
        OrderedKv kv = OrderedKv.wrap(server, (op, resp, prev, n) -> {
            violations.add(resp.header().revision() + "<" + prev + "#" + n);
            return Duration.ZERO;
        });
        kv.put("k", "v").join();
        GetResponse get = kv.get("k").join();
        assertThat(get.header().revision()).isEqualTo(12);
        assertThat(violations).containsExactly("7<10#1", "9<10#2");
        assertThat(kv.lastRevision()).isEqualTo(12);
    }

    @Test
    void anEqualRevisionIsNoViolationAndTxnsAreCheckedToo() {
        ScriptedKv server = new ScriptedKv(5, 5, 4, 6);
        OrderedKv kv = OrderedKv.wrap(server, (op, resp, prev, n) -> Duration.ZERO);
        kv.get("a").join();
        assertThat(kv.get("a").join().header().revision()).isEqualTo(5);
        TxnResponse txn = kv.txn().then(Op.get("a")).commit().join();
        assertThat(txn.header().revision()).isEqualTo(6);
        assertThat(server.sent).hasSize(4);
    }

    @Test
    void theRetryingHandlerGivesUpWithGosError() {
        ScriptedKv server = new ScriptedKv(10, 3, 3, 3, 3);
        OrderedKv kv = OrderedKv.wrap(server, OrderedKv.retrying(2, Duration.ofMillis(1)));
        kv.delete("k").join();
        assertThatThrownBy(() -> Futures.await(kv.get("k")))
                .isInstanceOf(OrderedKv.OrderViolationException.class)
                .hasMessage("etcdclient: no cluster members have a revision higher than the previously received revision");
        assertThat(server.sent).hasSize(4); // the delete, the read and two retries
    }

    @Test
    void viewsWithAnotherDeadlineShareTheRevisionSeen() {
        ScriptedKv server = new ScriptedKv(20, 15, 21);
        OrderedKv kv = OrderedKv.wrap(server, (op, resp, prev, n) -> Duration.ZERO);
        kv.put(Bytes.of("k"), Bytes.of("v")).join();
        KvClient view = kv.withTimeout(Duration.ofSeconds(1));
        assertThat(view.get("k").join().header().revision()).isEqualTo(21);
    }
}
