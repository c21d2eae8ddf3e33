package dev.etcdj.server.internal.mvcc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnknownFieldSet;
import dev.etcdj.proto.mvccpb.KeyValue;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The start-up reader of key and lease agrees with protobuf's parser, and refuses what it refuses. */
class StoredValueTest {

    /** A stored value: the tombstone byte, then the message. */
    private static byte[] stored(byte[] message) {
        byte[] v = new byte[message.length + 1];
        System.arraycopy(message, 0, v, 1, message.length);
        return v;
    }

    private static StoredValue read(byte[] message) {
        StoredValue r = new StoredValue();
        byte[] v = stored(message);
        r.read(v, 1, v.length);
        return r;
    }

    @Test
    void readsKeyAndLeaseAsProtobufDoes() {
        Random rnd = new Random(7);
        for (int i = 0; i < 2000; i++) {
            byte[] key = new byte[rnd.nextInt(300)];
            rnd.nextBytes(key);
            byte[] value = new byte[rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(5000)];
            rnd.nextBytes(value);
            KeyValue.Builder b = KeyValue.newBuilder().setKey(ByteString.copyFrom(key)).setValue(ByteString.copyFrom(value))
                    .setCreateRevision(rnd.nextLong()).setModRevision(Math.abs(rnd.nextLong())).setVersion(rnd.nextInt(1000));
            if (rnd.nextBoolean()) {
                b.setLease(rnd.nextInt(4) == 0 ? -rnd.nextLong() : rnd.nextLong());
            }
            if (rnd.nextInt(4) == 0) {
                b.setUnknownFields(UnknownFieldSet.newBuilder()
                        .addField(99, UnknownFieldSet.Field.newBuilder().addFixed32(5).addFixed64(6L).addVarint(-1L)
                                .addLengthDelimited(ByteString.copyFromUtf8("x")).build())
                        .build());
            }
            KeyValue kv = b.build();
            StoredValue r = read(kv.toByteArray());
            assertThat(r.key).isEqualTo(kv.getKey().toByteArray());
            assertThat(r.lease).isEqualTo(kv.getLease());
        }
    }

    @Test
    void aFieldGivenTwiceKeepsItsLastValueAndNoKeyIsEmpty() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeBytes(KeyValue.KEY_FIELD_NUMBER, ByteString.copyFromUtf8("first"));
        out.writeInt64(KeyValue.LEASE_FIELD_NUMBER, 1);
        out.writeBytes(KeyValue.KEY_FIELD_NUMBER, ByteString.copyFromUtf8("second"));
        out.writeInt64(KeyValue.LEASE_FIELD_NUMBER, 2);
        out.flush();
        KeyValue parsed = KeyValue.parseFrom(bytes.toByteArray());
        StoredValue r = read(bytes.toByteArray());
        assertThat(r.key).isEqualTo(parsed.getKey().toByteArray()).isEqualTo("second".getBytes());
        assertThat(r.lease).isEqualTo(parsed.getLease()).isEqualTo(2);

        StoredValue empty = read(KeyValue.newBuilder().setModRevision(3).build().toByteArray());
        assertThat(empty.key).isEmpty();
        assertThat(empty.lease).isZero();
    }

    @Test
    void refusesWhatProtobufRefuses() {
        byte[] whole = KeyValue.newBuilder().setKey(ByteString.copyFromUtf8("key")).setValue(ByteString.copyFromUtf8("value"))
                .setLease(12345678901L).setModRevision(9).build().toByteArray();
        for (int cut = 1; cut < whole.length; cut++) {
            byte[] truncated = Arrays.copyOf(whole, cut);
            KeyValue parsed;
            try {
                parsed = KeyValue.parseFrom(truncated);
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                parsed = null;
            }
            if (parsed == null) {
                assertThatThrownBy(() -> read(truncated)).as("cut at %d", cut)
                        .isInstanceOf(IllegalStateException.class).hasMessage("corrupt revision value");
            } else {
                StoredValue r = read(truncated);
                assertThat(r.key).as("cut at %d", cut).isEqualTo(parsed.getKey().toByteArray());
                assertThat(r.lease).as("cut at %d", cut).isEqualTo(parsed.getLease());
            }
        }
        for (byte[] bad : new byte[][] {
                {0x00, 0x01},                                  // field number 0
                {0x0b},                                        // a group (wire type 3), never ended
                {0x0f, 0x00},                                  // wire type 7
                {0x30, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                        (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01}, // an 11-byte varint
                {0x0a, 0x05, 'a'},                             // a key longer than what is left
        }) {
            assertThatThrownBy(() -> KeyValue.parseFrom(bad)).isInstanceOf(com.google.protobuf.InvalidProtocolBufferException.class);
            assertThatThrownBy(() -> read(bad)).isInstanceOf(IllegalStateException.class).hasMessage("corrupt revision value");
        }
    }
}
