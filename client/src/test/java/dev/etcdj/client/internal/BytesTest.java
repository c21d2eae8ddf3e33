package dev.etcdj.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.etcdj.client.Bytes;
import org.junit.jupiter.api.Test;

/** Bytes as the KV path uses them: prefix ends, ordering, and the zero-copy protobuf conversion. */
class BytesTest {

    private static Bytes b(int... v) {
        byte[] a = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            a[i] = (byte) v[i];
        }
        return Bytes.of(a);
    }

    @Test
    void prefixEnd() {
        assertThat(Bytes.of("abc").prefixEnd()).isEqualTo(Bytes.of("abd"));
        assertThat(b('a', 0xff).prefixEnd()).isEqualTo(Bytes.of("b"));
        assertThat(b(0xff, 0xff).prefixEnd()).isEqualTo(Bytes.ZERO);
        assertThat(Bytes.EMPTY.prefixEnd()).isEqualTo(Bytes.ZERO);
        assertThat(b(0x01, 0xfe).prefixEnd()).isEqualTo(b(0x01, 0xff));
    }

    @Test
    void ordersUnsignedLikeEtcd() {
        assertThat(b(0x7f).compareTo(b(0x80))).isNegative();
        assertThat(b(0xff).compareTo(b(0x00))).isPositive();
        assertThat(Bytes.of("a").compareTo(Bytes.of("ab"))).isNegative();
    }

    @Test
    void copiesUnlessWrapped() {
        byte[] raw = {1, 2};
        Bytes copied = Bytes.of(raw);
        raw[0] = 9;
        assertThat(copied.byteAt(0)).isEqualTo((byte) 1);
        assertThat(copied.toByteArray()).containsExactly(1, 2);
        assertThat(Bytes.of(new byte[0])).isSameAs(Bytes.EMPTY);
        assertThat(Bytes.of("")).isSameAs(Bytes.EMPTY);
    }

    @Test
    void protoConversionRoundTrips() {
        Bytes v = b(0, 0xff, 'x');
        ByteString s = ProtoConvert.toByteString(v);
        assertThat(s.toByteArray()).containsExactly(0, (byte) 0xff, 'x');
        assertThat(ProtoConvert.toBytes(s)).isEqualTo(v);
        assertThat(ProtoConvert.toByteString(Bytes.EMPTY)).isSameAs(ByteString.EMPTY);
        assertThat(ProtoConvert.toBytes(ByteString.EMPTY)).isSameAs(Bytes.EMPTY);
        assertThat(Bytes.of("é").toStringUtf8()).isEqualTo("é");
        assertThat(Bytes.of("é").size()).isEqualTo(2);
    }

    @Test
    void helpers() {
        assertThat(Bytes.of("abc").startsWith(Bytes.of("ab"))).isTrue();
        assertThat(Bytes.of("abc").startsWith(Bytes.of("b"))).isFalse();
        assertThat(Bytes.of("ab").concat(Bytes.of("c"))).isEqualTo(Bytes.of("abc"));
        assertThat(Bytes.of("abc").substring(1)).isEqualTo(Bytes.of("bc"));
        assertThat(Bytes.of("abc").hashCode()).isEqualTo(Bytes.of("abc").hashCode());
    }
}
