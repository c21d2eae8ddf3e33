package dev.etcdj.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.client.Cmp;
import dev.etcdj.client.Op;
import dev.etcdj.client.Options;
import dev.etcdj.client.TxnResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link OrderedKv} over a live server: fresh answers pass untouched and raise the revision seen. */
abstract class OrderedKvContract extends RecipeContract {

    @Test
    void readsWritesAndTxnsOfOneMemberNeverViolateOrder() {
        AtomicInteger violations = new AtomicInteger();
        OrderedKv kv = OrderedKv.wrap(client.kv(), (op, resp, prev, n) -> {
            violations.incrementAndGet();
            return Duration.ZERO;
        });
        long put = kv.put("ordered/a", "1").join().header().revision();
        assertThat(kv.lastRevision()).isEqualTo(put);
        assertThat(kv.get("ordered/a", Options.serializable()).join().kvs()).hasSize(1);
        TxnResponse txn = kv.txn().when(Cmp.value("ordered/a").equalTo("1"))
                .then(Op.put("ordered/b", "2")).commit().join();
        assertThat(txn.succeeded()).isTrue();
        assertThat(kv.lastRevision()).isEqualTo(put + 1);
        // A write made behind the view's back is still seen at a higher revision: no violation.
        client.kv().put("ordered/c", "3").join();
        assertThat(kv.get("ordered/", Options.prefix()).join().header().revision()).isEqualTo(put + 2);
        kv.delete("ordered/", Options.prefix()).join();
        assertThat(kv.lastRevision()).isEqualTo(put + 3);
        assertThat(violations).hasValue(0);
    }
}
