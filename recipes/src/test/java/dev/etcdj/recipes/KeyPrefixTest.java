package dev.etcdj.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.Cmp;
import dev.etcdj.client.DeleteResponse;
import dev.etcdj.client.EmptyKeyException;
import dev.etcdj.client.GetResponse;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.LeaseTimeToLiveResponse;
import dev.etcdj.client.Op;
import dev.etcdj.client.Options;
import dev.etcdj.client.PutResponse;
import dev.etcdj.client.ResponseHeader;
import dev.etcdj.client.TxnResponse;
import dev.etcdj.client.WatchEvent;
import dev.etcdj.client.WatchResponse;
import dev.etcdj.client.WatchSpec;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeyPrefixTest {

    private final KeyPrefix ns = new KeyPrefix(Bytes.of("app/"));

    private static Bytes b(String s) {
        return Bytes.of(s);
    }

    private static Bytes raw(int... bytes) {
        byte[] a = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            a[i] = (byte) bytes[i];
        }
        return Bytes.of(a);
    }

    @Test
    void singleKeyIsPrefixedAndKeepsNoEnd() {
        assertThat(ns.range(b("k"), Bytes.EMPTY)).containsExactly(b("app/k"), Bytes.EMPTY);
    }

    @Test
    void explicitRangeEndIsPrefixedToo() {
        assertThat(ns.range(b("a"), b("c"))).containsExactly(b("app/a"), b("app/c"));
    }

    @Test
    void fromKeyEndsAtTheNamespaceEnd() {
        // "\x00" means the end of the keyspace: inside a namespace that is the prefix's end ("app0").
        assertThat(ns.range(b("m"), Bytes.ZERO)).containsExactly(b("app/m"), b("app0"));
    }

    @Test
    void prefixOfTheEmptyKeyIsTheWholeNamespace() {
        Op.Get get = ns.map(Op.get(Bytes.EMPTY, Options.prefix()));
        assertThat(get.key()).isEqualTo(b("app/\0"));
        assertThat(get.rangeEnd()).isEqualTo(b("app0"));
    }

    @Test
    void prefixOfAKeyStaysAPrefixInsideTheNamespace() {
        Op.Get get = ns.map(Op.get("dir/", Options.prefix()));
        assertThat(get.key()).isEqualTo(b("app/dir/"));
        assertThat(get.rangeEnd()).isEqualTo(b("app/dir0"));
    }

    @Test
    void trailingFfBytesOfThePrefixAreDroppedForItsEnd() {
        KeyPrefix ff = new KeyPrefix(raw('a', 0xFF));
        assertThat(ff.range(b("x"), Bytes.ZERO)).containsExactly(raw('a', 0xFF, 'x'), b("b"));
    }

    @Test
    void anAllFfPrefixHasNoUpperBound() {
        KeyPrefix ff = new KeyPrefix(raw(0xFF, 0xFF));
        assertThat(ff.range(b("x"), Bytes.ZERO)).containsExactly(raw(0xFF, 0xFF, 'x'), Bytes.ZERO);
    }

    @Test
    void anEmptyPrefixChangesNothing() {
        KeyPrefix none = new KeyPrefix(Bytes.EMPTY);
        assertThat(none.range(b("k"), Bytes.ZERO)).containsExactly(b("k"), Bytes.ZERO);
        assertThat(none.range(b("k"), b("z"))).containsExactly(b("k"), b("z"));
    }

    @Test
    void otherGetFieldsAreKept() {
        Op.Get get = ns.map(Op.get("k", Options.prefix(), Options.limit(3), Options.revision(7),
                Options.maxCreateRevision(9), Options.keysOnly()));
        assertThat(get.limit()).isEqualTo(3);
        assertThat(get.revision()).isEqualTo(7);
        assertThat(get.maxCreateRevision()).isEqualTo(9);
        assertThat(get.keysOnly()).isTrue();
    }

    @Test
    void anEmptyKeyAloneIsRejected() {
        assertThatThrownBy(() -> ns.map(Op.get(Bytes.EMPTY))).isInstanceOf(EmptyKeyException.class);
        assertThatThrownBy(() -> ns.map(Op.put(Bytes.EMPTY, b("v")))).isInstanceOf(EmptyKeyException.class);
        assertThatThrownBy(() -> ns.map(Op.delete(Bytes.EMPTY))).isInstanceOf(EmptyKeyException.class);
        assertThatThrownBy(() -> ns.map(WatchSpec.of(Bytes.EMPTY))).isInstanceOf(EmptyKeyException.class);
    }

    @Test
    void putKeepsValueLeaseAndFlags() {
        Op.Put put = (Op.Put) ns.map(Op.put("k", "v", Options.lease(42), Options.prevKv()));
        assertThat(put).isEqualTo(new Op.Put(b("app/k"), b("v"), 42, true, false, false));
    }

    @Test
    void deleteRangesAreMapped() {
        Op.Delete del = (Op.Delete) ns.map(Op.delete("d/", Options.prefix(), Options.prevKv()));
        assertThat(del).isEqualTo(new Op.Delete(b("app/d/"), b("app/d0"), true));
    }

    @Test
    void txnComparesAndOpsAreMappedAtEveryDepth() {
        Op.Txn inner = Op.txn().when(Cmp.value("x").equalTo("1")).then(Op.delete("y"));
        Op.Txn txn = Op.txn()
                .when(Cmp.version("a").equalTo(0), Cmp.modRevision("p/").less(5).withPrefix())
                .then(Op.put("a", "1"), inner)
                .orElse(Op.get("a"));
        Op.Txn mapped = ns.map(txn);
        assertThat(mapped.compares()).containsExactly(
                new Cmp(b("app/a"), Bytes.EMPTY, Cmp.Target.VERSION, Cmp.Result.EQUAL, 0, Bytes.EMPTY),
                new Cmp(b("app/p/"), b("app/p0"), Cmp.Target.MOD, Cmp.Result.LESS, 5, Bytes.EMPTY));
        assertThat(((Op.Put) mapped.success().get(0)).key()).isEqualTo(b("app/a"));
        Op.Txn mappedInner = (Op.Txn) mapped.success().get(1);
        assertThat(mappedInner.compares().get(0).key()).isEqualTo(b("app/x"));
        assertThat(mappedInner.compares().get(0).value()).isEqualTo(b("1"));
        assertThat(((Op.Delete) mappedInner.success().get(0)).key()).isEqualTo(b("app/y"));
        assertThat(((Op.Get) mapped.failure().get(0)).key()).isEqualTo(b("app/a"));
    }

    @Test
    void aCompareOverEveryKeyCoversTheWholeNamespace() {
        Cmp all = Cmp.version(Bytes.EMPTY).greater(0).withPrefix(); // key "", end "\x00"
        Cmp mapped = ns.map(all);
        assertThat(mapped.key()).isEqualTo(b("app/"));
        assertThat(mapped.rangeEnd()).isEqualTo(b("app0"));
    }

    @Test
    void watchSpecsAreMappedKeepingFlags() {
        WatchSpec spec = ns.map(WatchSpec.of("w/", Options.prefix(), Options.revision(12), Options.prevKv()));
        assertThat(spec).isEqualTo(new WatchSpec(b("app/w/"), b("app/w0"), 12, true, false, false, false, false));
    }

    private static KeyValue kv(String key) {
        return new KeyValue(b(key), b("v"), 2, 3, 1, 0);
    }

    private static final ResponseHeader H = new ResponseHeader(1, 2, 3, 4);

    @Test
    void responsesLoseThePrefixIncludingPrevKvsAndNestedTxns() {
        GetResponse get = new GetResponse(H, List.of(kv("app/a"), kv("app/b")), true, 5);
        PutResponse put = new PutResponse(H, Optional.of(kv("app/p")));
        DeleteResponse del = new DeleteResponse(H, 1, List.of(kv("app/d")));
        TxnResponse nested = new TxnResponse(H, true, List.of(new GetResponse(H, List.of(kv("app/n")), false, 1)));
        TxnResponse txn = new TxnResponse(H, false, List.of(get, put, del, nested));

        TxnResponse out = (TxnResponse) ns.strip(txn);
        assertThat(out.succeeded()).isFalse();
        assertThat(out.getResponse(0).kvs()).extracting(KeyValue::key).containsExactly(b("a"), b("b"));
        assertThat(out.getResponse(0).more()).isTrue();
        assertThat(out.getResponse(0).count()).isEqualTo(5);
        assertThat(out.putResponse(1).prevKv()).map(KeyValue::key).contains(b("p"));
        assertThat(out.deleteResponse(2).prevKvs()).extracting(KeyValue::key).containsExactly(b("d"));
        assertThat(out.txnResponse(3).getResponse(0).kvs().get(0)).isEqualTo(kv("n"));
        assertThat(out.header()).isEqualTo(H);
    }

    @Test
    void watchEventsAndTheirPrevKvsLoseThePrefix() {
        WatchResponse resp = new WatchResponse(H, List.of(
                new WatchEvent(WatchEvent.Type.PUT, kv("app/x"), Optional.of(kv("app/x"))),
                new WatchEvent(WatchEvent.Type.DELETE, kv("app/y"), Optional.empty())));
        WatchResponse out = ns.strip(resp);
        assertThat(out.events()).extracting(e -> e.kv().key()).containsExactly(b("x"), b("y"));
        assertThat(out.events().get(0).prevKv()).map(KeyValue::key).contains(b("x"));
        assertThat(out.events().get(1).type()).isEqualTo(WatchEvent.Type.DELETE);
    }

    @Test
    void leaseKeysOutsideTheNamespaceAreLeftOut() {
        LeaseTimeToLiveResponse r = new LeaseTimeToLiveResponse(H, 7, 10, 60,
                List.of(b("app/a"), b("other/b"), b("ap"), b("app/c")));
        assertThat(ns.strip(r).keys()).containsExactly(b("a"), b("c"));
    }
}
