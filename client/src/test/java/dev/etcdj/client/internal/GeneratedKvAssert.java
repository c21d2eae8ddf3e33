package dev.etcdj.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.client.DeleteResponse;
import dev.etcdj.client.GetResponse;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.OpResponse;
import dev.etcdj.client.PutResponse;
import dev.etcdj.client.ResponseHeader;
import dev.etcdj.client.TxnResponse;
import dev.etcdj.proto.etcdserverpb.DeleteRangeResponse;
import dev.etcdj.proto.etcdserverpb.RangeResponse;
import dev.etcdj.proto.etcdserverpb.ResponseOp;
import java.util.List;

/**
 * The oracle for the hand-written KV decoder: a decoded public record against the message
 * protobuf's generated parser makes of the same bytes, field by field, nested txns included.
 */
final class GeneratedKvAssert {

    private GeneratedKvAssert() {
    }

    static void assertSame(GetResponse got, RangeResponse want) {
        assertSame(got.header(), want.getHeader());
        assertSame(got.kvs(), want.getKvsList());
        assertThat(got.more()).as("more").isEqualTo(want.getMore());
        assertThat(got.count()).as("count").isEqualTo(want.getCount());
    }

    static void assertSame(PutResponse got, dev.etcdj.proto.etcdserverpb.PutResponse want) {
        assertSame(got.header(), want.getHeader());
        assertThat(got.prevKv().isPresent()).as("prevKv present").isEqualTo(want.hasPrevKv());
        got.prevKv().ifPresent(kv -> assertSame(kv, want.getPrevKv()));
    }

    static void assertSame(DeleteResponse got, DeleteRangeResponse want) {
        assertSame(got.header(), want.getHeader());
        assertThat(got.deleted()).as("deleted").isEqualTo(want.getDeleted());
        assertSame(got.prevKvs(), want.getPrevKvsList());
    }

    static void assertSame(TxnResponse got, dev.etcdj.proto.etcdserverpb.TxnResponse want) {
        assertSame(got.header(), want.getHeader());
        assertThat(got.succeeded()).as("succeeded").isEqualTo(want.getSucceeded());
        assertThat(got.responses()).as("responses").hasSize(want.getResponsesCount());
        for (int i = 0; i < want.getResponsesCount(); i++) {
            assertSame(got.responses().get(i), want.getResponses(i));
        }
    }

    private static void assertSame(OpResponse got, ResponseOp want) {
        switch (want.getResponseCase()) {
            case RESPONSE_RANGE -> assertSame((GetResponse) kind(got, GetResponse.class), want.getResponseRange());
            case RESPONSE_PUT -> assertSame((PutResponse) kind(got, PutResponse.class), want.getResponsePut());
            case RESPONSE_DELETE_RANGE -> assertSame((DeleteResponse) kind(got, DeleteResponse.class),
                    want.getResponseDeleteRange());
            case RESPONSE_TXN -> assertSame((TxnResponse) kind(got, TxnResponse.class), want.getResponseTxn());
            case RESPONSE_NOT_SET -> throw new AssertionError("the generated op holds no response");
        }
    }

    private static OpResponse kind(OpResponse got, Class<? extends OpResponse> kind) {
        assertThat(got).as("op response kind").isInstanceOf(kind);
        return got;
    }

    private static void assertSame(ResponseHeader got, dev.etcdj.proto.etcdserverpb.ResponseHeader want) {
        assertThat(got).as("header").isEqualTo(new ResponseHeader(want.getClusterId(), want.getMemberId(),
                want.getRevision(), want.getRaftTerm()));
    }

    private static void assertSame(List<KeyValue> got, List<dev.etcdj.proto.mvccpb.KeyValue> want) {
        assertThat(got).as("kvs").hasSize(want.size());
        for (int i = 0; i < want.size(); i++) {
            assertSame(got.get(i), want.get(i));
        }
    }

    private static void assertSame(KeyValue got, dev.etcdj.proto.mvccpb.KeyValue want) {
        assertThat(got.key().unsafeArray()).as("key").isEqualTo(want.getKey().toByteArray());
        assertThat(got.value().unsafeArray()).as("value").isEqualTo(want.getValue().toByteArray());
        assertThat(got.createRevision()).as("createRevision").isEqualTo(want.getCreateRevision());
        assertThat(got.modRevision()).as("modRevision").isEqualTo(want.getModRevision());
        assertThat(got.version()).as("version").isEqualTo(want.getVersion());
        assertThat(got.lease()).as("lease").isEqualTo(want.getLease());
    }
}
