package dev.etcdj.client.internal.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.etcdj.client.Bytes;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.ResponseHeader;
import dev.etcdj.client.WatchEvent;
import dev.etcdj.client.internal.ProtoConvert;
import dev.etcdj.proto.etcdserverpb.WatchResponse;
import dev.etcdj.proto.mvccpb.Event;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The hand decoder reads what protobuf writes, field for field, as the generated parser would. */
class WatchMessageDecoderTest {

    private static dev.etcdj.proto.mvccpb.KeyValue kv(String key, String value, long mod) {
        return dev.etcdj.proto.mvccpb.KeyValue.newBuilder().setKey(ByteString.copyFromUtf8(key))
                .setValue(ByteString.copyFromUtf8(value)).setCreateRevision(2).setModRevision(mod)
                .setVersion(3).setLease(-7).build();
    }

    private static WatchMessage decode(WatchResponse r) throws Exception {
        return WatchMessageDecoder.METHOD.parseResponse(new ByteArrayInputStream(r.toByteArray()));
    }

    @Test
    void eventsHeaderAndFlagsDecodeAsTheGeneratedParserReadsThem() throws Exception {
        WatchResponse r = WatchResponse.newBuilder()
                .setHeader(dev.etcdj.proto.etcdserverpb.ResponseHeader.newBuilder().setClusterId(-2)
                        .setMemberId(Long.MAX_VALUE).setRevision(99).setRaftTerm(5))
                .setWatchId(12).setFragment(true)
                .addEvents(Event.newBuilder().setKv(kv("a", "v1", 98)))
                .addEvents(Event.newBuilder().setType(Event.EventType.DELETE).setKv(kv("b", "", 99))
                        .setPrevKv(kv("b", "old", 97)))
                .build();
        WatchMessage m = decode(r);
        assertThat(m.header()).isEqualTo(new ResponseHeader(-2, Long.MAX_VALUE, 99, 5));
        assertThat(m.watchId()).isEqualTo(12);
        assertThat(m.fragment()).isTrue();
        assertThat(m.created()).isFalse();
        assertThat(m.canceled()).isFalse();
        assertThat(m.wireSize()).isEqualTo(r.getSerializedSize());
        assertThat(m.events()).containsExactly(
                new WatchEvent(WatchEvent.Type.PUT, ProtoConvert.keyValue(kv("a", "v1", 98)), Optional.empty()),
                new WatchEvent(WatchEvent.Type.DELETE, ProtoConvert.keyValue(kv("b", "", 99)),
                        Optional.of(ProtoConvert.keyValue(kv("b", "old", 97)))));
        assertThat(m.events().get(1).kv().value()).isSameAs(Bytes.EMPTY);
        assertThatThrownBy(() -> m.events().add(m.events().get(0))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aCancelAndACreateCarryTheirFields() throws Exception {
        WatchMessage cancel = decode(WatchResponse.newBuilder().setWatchId(3).setCanceled(true)
                .setCompactRevision(40).setCancelReason("mvcc: required revision has been compacted").build());
        assertThat(cancel.canceled()).isTrue();
        assertThat(cancel.compactRevision()).isEqualTo(40);
        assertThat(cancel.cancelReason()).isEqualTo("mvcc: required revision has been compacted");
        assertThat(cancel.events()).isEmpty();
        assertThat(cancel.header()).isEqualTo(ResponseHeader.EMPTY);

        WatchMessage progressAll = decode(WatchResponse.newBuilder().setWatchId(-1).setCreated(true).build());
        assertThat(progressAll.watchId()).isEqualTo(-1);
        assertThat(progressAll.created()).isTrue();
    }

    @Test
    void unknownFieldsAreSkipped() throws Exception {
        UnknownFieldSet unknown = UnknownFieldSet.newBuilder()
                .addField(9, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("x")).build())
                .addField(20, UnknownFieldSet.Field.newBuilder().addVarint(7).addFixed64(8).build())
                .build();
        WatchResponse r = WatchResponse.newBuilder().setWatchId(4).setUnknownFields(unknown)
                .addEvents(Event.newBuilder().setKv(kv("k", "v", 5).toBuilder().setUnknownFields(unknown)))
                .build();
        WatchMessage m = decode(r);
        assertThat(m.watchId()).isEqualTo(4);
        assertThat(m.events()).extracting(WatchEvent::kv).containsExactly(ProtoConvert.keyValue(kv("k", "v", 5)));
    }

    @Test
    void encodingAgainGivesTheSameMessage() throws Exception {
        WatchMessage m = new WatchMessage(new ResponseHeader(1, 2, 3, 4), 5, false, false, 0, "", false,
                List.of(new WatchEvent(WatchEvent.Type.PUT, new KeyValue(Bytes.of("k"), Bytes.of("v"), 1, 3, 1, 0),
                        Optional.empty())), 0);
        WatchMessage again = WatchMessageDecoder.METHOD.parseResponse(WatchMessageDecoder.METHOD.streamResponse(m));
        assertThat(again.header()).isEqualTo(m.header());
        assertThat(again.events()).isEqualTo(m.events());
        assertThat(again.watchId()).isEqualTo(5);
    }

    @Test
    void aTruncatedMessageIsAnInternalError() {
        byte[] whole = WatchResponse.newBuilder().addEvents(Event.newBuilder().setKv(kv("key", "value", 9)))
                .build().toByteArray();
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 3);
        assertThatThrownBy(() -> WatchMessageDecoder.METHOD.parseResponse(new ByteArrayInputStream(cut)))
                .isInstanceOf(StatusRuntimeException.class).hasMessageContaining("INTERNAL");
    }
}
