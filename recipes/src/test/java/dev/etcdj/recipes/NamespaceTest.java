package dev.etcdj.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.Cmp;
import dev.etcdj.client.CompactResponse;
import dev.etcdj.client.DeleteOption;
import dev.etcdj.client.DeleteResponse;
import dev.etcdj.client.EmptyKeyException;
import dev.etcdj.client.GetOption;
import dev.etcdj.client.GetResponse;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.KvClient;
import dev.etcdj.client.Op;
import dev.etcdj.client.OpResponse;
import dev.etcdj.client.Options;
import dev.etcdj.client.PutOption;
import dev.etcdj.client.PutResponse;
import dev.etcdj.client.ResponseHeader;
import dev.etcdj.client.Txn;
import dev.etcdj.client.TxnResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The KV decorator against a recording fake: what reaches the server, what reaches the user. */
class NamespaceTest {

    /**
     * Records every request; answers each get with the keys it was given, as etcd would name them.
     * Only ops reach it: a namespace that called its put/get/delete/txn directly would send unprefixed keys.
     */
    private static final class RecordingKv extends FakeKv {

        @Override
        public CompletableFuture<TxnResponse> commit(Op.Txn txn) {
            sent.add(txn);
            return CompletableFuture.completedFuture(new TxnResponse(ResponseHeader.EMPTY, true,
                    List.of(new GetResponse(ResponseHeader.EMPTY, answer, false, answer.size()))));
        }

        @Override
        public CompletableFuture<CompactResponse> compact(long revision) {
            sent.add(revision);
            return CompletableFuture.completedFuture(new CompactResponse(ResponseHeader.EMPTY));
        }

        @Override
        public CompletableFuture<CompactResponse> compact(long revision, boolean physical) {
            return compact(revision);
        }
    }

    private final RecordingKv inner = new RecordingKv();
    private final KvClient kv = Namespace.kv(inner, "tenant/");

    private static KeyValue kv(String key) {
        return new KeyValue(Bytes.of(key), Bytes.of("v"), 1, 1, 1, 0);
    }

    @Test
    void getWithPrefixSendsTheMappedRangeAndStripsTheAnswer() {
        inner.answer = List.of(kv("tenant/a/1"), kv("tenant/a/2"));
        GetResponse r = kv.get("a/", Options.prefix(), Options.sort(dev.etcdj.client.SortTarget.KEY,
                dev.etcdj.client.SortOrder.DESCEND)).join();
        Op.Get sent = (Op.Get) inner.sent.get(0);
        assertThat(sent.key()).isEqualTo(Bytes.of("tenant/a/"));
        assertThat(sent.rangeEnd()).isEqualTo(Bytes.of("tenant/a0"));
        assertThat(sent.sortOrder()).isEqualTo(dev.etcdj.client.SortOrder.DESCEND);
        assertThat(r.kvs()).extracting(k -> k.key().toStringUtf8()).containsExactly("a/1", "a/2");
    }

    @Test
    void putAndDeleteArePrefixedAndPrevKvsStripped() {
        inner.answer = List.of(kv("tenant/k"));
        PutResponse put = kv.put("k", "v", Options.prevKv()).join();
        DeleteResponse del = kv.delete("k", Options.fromKey()).join();
        assertThat(((Op.Put) inner.sent.get(0)).key()).isEqualTo(Bytes.of("tenant/k"));
        Op.Delete sentDelete = (Op.Delete) inner.sent.get(1);
        assertThat(sentDelete.key()).isEqualTo(Bytes.of("tenant/k"));
        assertThat(sentDelete.rangeEnd()).isEqualTo(Bytes.of("tenant0"));
        assertThat(put.prevKv()).map(KeyValue::key).contains(Bytes.of("k"));
        assertThat(del.prevKvs()).extracting(KeyValue::key).containsExactly(Bytes.of("k"));
    }

    @Test
    void txnBuiltOnTheViewIsMappedWhenCommittedAndReadsBackInUserKeys() {
        inner.answer = List.of(kv("tenant/x"));
        Txn txn = kv.txn().when(Cmp.version("x").greater(0)).then(Op.get("x"));
        assertThat(txn.toOp().compares().get(0).key()).isEqualTo(Bytes.of("x"));
        TxnResponse r = txn.commit().join();
        Op.Txn sent = (Op.Txn) inner.sent.get(0);
        assertThat(sent.compares().get(0).key()).isEqualTo(Bytes.of("tenant/x"));
        assertThat(((Op.Get) sent.success().get(0)).key()).isEqualTo(Bytes.of("tenant/x"));
        assertThat(r.getResponse(0).kvs().get(0).key()).isEqualTo(Bytes.of("x"));
    }

    @Test
    void anEmptyKeyFailsTheFutureAndSendsNothing() {
        CompletableFuture<GetResponse> f = kv.get("");
        assertThatThrownBy(f::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(EmptyKeyException.class);
        assertThat(inner.sent).isEmpty();
    }

    @Test
    void compactionIsNotAKeyOperationAndPassesThrough() {
        kv.compact(17).join();
        assertThat(inner.sent).containsExactly(17L);
    }

    @Test
    void aPrefixWithoutKeysHasAnEmptyAnswer() {
        GetResponse r = kv.get("", Options.prefix()).join();
        Op.Get sent = (Op.Get) inner.sent.get(0);
        assertThat(sent.key()).isEqualTo(Bytes.of("tenant/\0"));
        assertThat(sent.rangeEnd()).isEqualTo(Bytes.of("tenant0"));
        assertThat(r.kvs()).isEmpty();
        assertThat(Optional.of(r.count())).contains(0L);
    }
}
