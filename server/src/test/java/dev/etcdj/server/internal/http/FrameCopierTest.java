package dev.etcdj.server.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.ByteBufUtil;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The preface, then one copied frame per buffer, whatever the read boundaries; no read buffer kept alive. */
class FrameCopierTest {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private static byte[] frame(int type, int streamId, int payloadLength, byte fill) {
        byte[] f = new byte[FrameCopier.HEADER_LENGTH + payloadLength];
        f[0] = (byte) (payloadLength >>> 16);
        f[1] = (byte) (payloadLength >>> 8);
        f[2] = (byte) payloadLength;
        f[3] = (byte) type;
        f[5] = (byte) (streamId >>> 24);
        f[6] = (byte) (streamId >>> 16);
        f[7] = (byte) (streamId >>> 8);
        f[8] = (byte) streamId;
        Arrays.fill(f, FrameCopier.HEADER_LENGTH, f.length, fill);
        return f;
    }

    @Test
    void eachFrameArrivesAloneInItsOwnBufferAndTheReadBuffersAreFreedWhileFramesAreHeld() {
        List<byte[]> expected = List.of(PREFACE, frame(4, 0, 0, (byte) 0), frame(0, 1, 16_384, (byte) 'a'),
                frame(0, 3, 16_384, (byte) 'b'), frame(1, 5, 40, (byte) 'h'), frame(0, 1, 1_000, (byte) 'c'));
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        expected.forEach(wire::writeBytes);
        byte[] bytes = wire.toByteArray();

        EmbeddedChannel channel = new EmbeddedChannel(new FrameCopier());
        List<ByteBuf> reads = new ArrayList<>();
        for (int at = 0; at < bytes.length; at += 7_001) { // read boundaries that cut frames and headers
            ByteBuf read = Unpooled.directBuffer(7_001).writeBytes(bytes, at, Math.min(7_001, bytes.length - at));
            reads.add(read);
            channel.writeInbound(read);
        }
        List<ByteBuf> frames = new ArrayList<>();
        for (ByteBuf b; (b = channel.readInbound()) != null; ) {
            frames.add(b);
        }

        assertThat(frames).hasSameSizeAs(expected);
        for (int i = 0; i < frames.size(); i++) {
            assertThat(ByteBufUtil.getBytes(frames.get(i))).as("buffer " + i).isEqualTo(expected.get(i));
        }
        // Frames still held (as grpc-java holds a message's frames): no socket read buffer stays alive.
        assertThat(reads).allMatch(r -> r.refCnt() == 0);
        frames.forEach(ByteBuf::release);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void aHeaderDeclaringAnOversizedFrameIsPassedOnAtOnceForGrpcToRefuse() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameCopier());
        byte[] header = Arrays.copyOf(frame(0, 1, FrameCopier.MAX_PAYLOAD + 1, (byte) 0), FrameCopier.HEADER_LENGTH);
        channel.writeInbound(Unpooled.wrappedBuffer(PREFACE), Unpooled.wrappedBuffer(header));
        ByteBuf preface = channel.readInbound();
        ByteBuf passed = channel.readInbound();
        assertThat(ByteBufUtil.getBytes(preface)).isEqualTo(PREFACE);
        assertThat(ByteBufUtil.getBytes(passed)).isEqualTo(header); // not held back waiting for 16 KiB + 1
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
        ByteBuf more = channel.readInbound();
        assertThat(ByteBufUtil.getBytes(more)).containsExactly(1, 2, 3);
        preface.release();
        passed.release();
        more.release();
        channel.finishAndReleaseAll();
    }
}
