package dev.etcdj.client.internal;

import com.google.protobuf.CodedOutputStream;
import dev.etcdj.client.Bytes;
import dev.etcdj.client.Op;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Writes the hot KV requests ({@code RangeRequest}, {@code PutRequest}, {@code DeleteRangeRequest};
 * rpc.proto) straight from the ops into the bytes protobuf would write for them (fields in number
 * order, proto3 defaults left out), with no builder and no message object: one array per call,
 * encoded once however many attempts the call makes, and drained into gRPC's frame as is.
 */
public final class KvRequestEncoder {

    /** A request already encoded. */
    public static final class Encoded {
        final byte[] bytes;

        Encoded(byte[] bytes) {
            this.bytes = bytes;
        }

        int size() {
            return bytes.length;
        }
    }

    /** Streams an {@link Encoded} request; reads one back (for tests and in-process use). */
    static final MethodDescriptor.Marshaller<Encoded> MARSHALLER = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(Encoded value) {
            return new BytesStream(value.bytes);
        }

        @Override
        public Encoded parse(InputStream stream) {
            try {
                return new Encoded(KvResponseDecoder.readFully(stream));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private KvRequestEncoder() {}

    public static Encoded range(Op.Get g) {
        int size = bytesSize(1, g.key()) + bytesSize(2, g.rangeEnd())
                + int64Size(3, g.limit()) + int64Size(4, g.revision())
                + int64Size(5, KvCodec.sortOrder(g.sortOrder()).getNumber())
                + int64Size(6, KvCodec.sortTarget(g.sortTarget()).getNumber())
                + boolSize(7, g.serializable()) + boolSize(8, g.keysOnly()) + boolSize(9, g.countOnly())
                + int64Size(10, g.minModRevision()) + int64Size(11, g.maxModRevision())
                + int64Size(12, g.minCreateRevision()) + int64Size(13, g.maxCreateRevision());
        byte[] out = new byte[size];
        CodedOutputStream o = CodedOutputStream.newInstance(out);
        try {
            writeBytes(o, 1, g.key());
            writeBytes(o, 2, g.rangeEnd());
            writeInt64(o, 3, g.limit());
            writeInt64(o, 4, g.revision());
            writeInt64(o, 5, KvCodec.sortOrder(g.sortOrder()).getNumber());
            writeInt64(o, 6, KvCodec.sortTarget(g.sortTarget()).getNumber());
            writeBool(o, 7, g.serializable());
            writeBool(o, 8, g.keysOnly());
            writeBool(o, 9, g.countOnly());
            writeInt64(o, 10, g.minModRevision());
            writeInt64(o, 11, g.maxModRevision());
            writeInt64(o, 12, g.minCreateRevision());
            writeInt64(o, 13, g.maxCreateRevision());
        } catch (IOException e) {
            throw new IllegalStateException("etcdj: a range request did not fit its computed size", e);
        }
        return done(o, out);
    }

    public static Encoded put(Op.Put p) {
        int size = bytesSize(1, p.key()) + bytesSize(2, p.value()) + int64Size(3, p.lease())
                + boolSize(4, p.prevKv()) + boolSize(5, p.ignoreValue()) + boolSize(6, p.ignoreLease());
        byte[] out = new byte[size];
        CodedOutputStream o = CodedOutputStream.newInstance(out);
        try {
            writeBytes(o, 1, p.key());
            writeBytes(o, 2, p.value());
            writeInt64(o, 3, p.lease());
            writeBool(o, 4, p.prevKv());
            writeBool(o, 5, p.ignoreValue());
            writeBool(o, 6, p.ignoreLease());
        } catch (IOException e) {
            throw new IllegalStateException("etcdj: a put request did not fit its computed size", e);
        }
        return done(o, out);
    }

    public static Encoded delete(Op.Delete d) {
        int size = bytesSize(1, d.key()) + bytesSize(2, d.rangeEnd()) + boolSize(3, d.prevKv());
        byte[] out = new byte[size];
        CodedOutputStream o = CodedOutputStream.newInstance(out);
        try {
            writeBytes(o, 1, d.key());
            writeBytes(o, 2, d.rangeEnd());
            writeBool(o, 3, d.prevKv());
        } catch (IOException e) {
            throw new IllegalStateException("etcdj: a delete request did not fit its computed size", e);
        }
        return done(o, out);
    }

    private static Encoded done(CodedOutputStream o, byte[] out) {
        o.checkNoSpaceLeft();
        return new Encoded(out);
    }

    // proto3: a field at its default (empty, zero, false) is not written at all.

    private static int bytesSize(int field, Bytes b) {
        return b.isEmpty() ? 0 : CodedOutputStream.computeByteArraySize(field, b.unsafeArray());
    }

    private static int int64Size(int field, long v) {
        return v == 0 ? 0 : CodedOutputStream.computeInt64Size(field, v);
    }

    private static int boolSize(int field, boolean v) {
        return v ? CodedOutputStream.computeBoolSize(field, true) : 0;
    }

    private static void writeBytes(CodedOutputStream o, int field, Bytes b) throws IOException {
        if (!b.isEmpty()) {
            o.writeByteArray(field, b.unsafeArray());
        }
    }

    private static void writeInt64(CodedOutputStream o, int field, long v) throws IOException {
        if (v != 0) {
            o.writeInt64(field, v);
        }
    }

    private static void writeBool(CodedOutputStream o, int field, boolean v) throws IOException {
        if (v) {
            o.writeBool(field, true);
        }
    }

    /**
     * The bytes as gRPC's framer wants them: their length known up front, and drained in one write
     * (a plain stream would be copied through a fresh 8 KiB buffer).
     */
    private static final class BytesStream extends ByteArrayInputStream implements Drainable, KnownLength {
        BytesStream(byte[] bytes) {
            super(bytes);
        }

        @Override
        public synchronized int drainTo(OutputStream target) throws IOException {
            int n = count - pos;
            target.write(buf, pos, n);
            pos = count;
            return n;
        }
    }
}
