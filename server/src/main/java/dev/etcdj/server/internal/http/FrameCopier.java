package dev.etcdj.server.internal.http;

import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Sits in front of gRPC's HTTP/2 handler and hands it the connection preface, then one HTTP/2 frame
 * at a time, each copied into a buffer of its own size.
 *
 * <p>Why: Netty's HTTP/2 decoder slices each DATA frame out of the buffer it read from the socket
 * (up to 64 KiB, or a 128 KiB buffer when a partial frame is carried over), and grpc-java holds
 * those slices until the message they belong to is parsed. With many concurrent large requests the
 * frames of different streams interleave, so one 16 KiB frame still held keeps a whole read buffer
 * alive: 2,000 concurrent 1.5 MiB puts took direct memory to its limit (247.5 MiB at -Xmx256m) while the in-flight
 * budget ({@code rpc.InflightRequestBytes}) held 16 MiB of counted bytes and the flow-control
 * window at most 8 MiB more; with copied frames the same flood peaks at 34 MiB.
 * A copied frame pins only itself, so what the budget counts is what direct memory holds. The copy
 * costs one memory copy of every inbound byte: no more than 1-2% of the server's CPU per put, small or
 * 1 MiB, within the noise of {@code FrameCopyCostIT}.
 *
 * <p>A frame header declaring more than the largest frame the server accepts is not waited for:
 * from there bytes pass as they come, and gRPC's handler answers the protocol error.
 */
final class FrameCopier extends ByteToMessageDecoder {
    /** The HTTP/2 client connection preface, sent before the first frame. */
    static final int PREFACE_LENGTH = 24;
    /** An HTTP/2 frame header: a 24-bit payload length, type, flags, stream id. */
    static final int HEADER_LENGTH = 9;
    /** SETTINGS_MAX_FRAME_SIZE as gRPC's server announces it (HTTP/2's default, 16 KiB). */
    static final int MAX_PAYLOAD = 16_384;

    private boolean prefaceSeen;
    private boolean passThrough;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (passThrough) {
            out.add(in.readRetainedSlice(in.readableBytes()));
            return;
        }
        if (!prefaceSeen) {
            if (in.readableBytes() < PREFACE_LENGTH) {
                return;
            }
            out.add(copy(ctx, in, PREFACE_LENGTH));
            prefaceSeen = true;
        }
        while (in.readableBytes() >= HEADER_LENGTH) {
            int payload = in.getUnsignedMedium(in.readerIndex());
            if (payload > MAX_PAYLOAD) {
                passThrough = true;
                out.add(in.readRetainedSlice(in.readableBytes()));
                return;
            }
            if (in.readableBytes() < HEADER_LENGTH + payload) {
                return;
            }
            out.add(copy(ctx, in, HEADER_LENGTH + payload));
        }
    }

    private static ByteBuf copy(ChannelHandlerContext ctx, ByteBuf in, int length) {
        ByteBuf copy = ctx.alloc().buffer(length, length);
        copy.writeBytes(in, length);
        return copy;
    }
}
