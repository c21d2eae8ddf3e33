package dev.etcdj.server.internal.http;

import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.ChannelFuture;
import io.grpc.netty.shaded.io.netty.channel.ChannelFutureListener;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.handler.codec.DateFormatter;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultHttpContent;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaderNames;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaders;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpResponseStatus;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpUtil;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpVersion;
import io.grpc.netty.shaded.io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.Date;

/**
 * The answer to one HTTP/1.1 request, written the way Go's net/http writes it: a Date header, the
 * Content-Length of a whole body, or chunks for a stream; the connection kept open when the client
 * asked for it. Any thread may write: Netty hands the writes to the channel's event loop.
 */
public final class HttpReplies {
    public static final String TEXT = "text/plain; charset=utf-8";
    public static final String JSON = "application/json";

    private final ChannelHandlerContext ctx;
    private final boolean keepAlive;
    private final boolean cors;
    private boolean streaming;

    HttpReplies(ChannelHandlerContext ctx, boolean keepAlive, boolean cors) {
        this.ctx = ctx;
        this.keepAlive = keepAlive;
        this.cors = cors;
    }

    /** A whole response. */
    public void send(int status, String contentType, String body) {
        send(status, contentType, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    }

    public void send(int status, String contentType, ByteBuf body, String... extraHeaders) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), body);
        headers(r.headers(), contentType);
        for (String h : extraHeaders) {
            int colon = h.indexOf(':');
            r.headers().set(h.substring(0, colon), h.substring(colon + 1).trim());
        }
        HttpUtil.setContentLength(r, body.readableBytes());
        finish(ctx.writeAndFlush(r));
    }

    /** Go's http.Error: the text plus a newline, and nosniff. */
    public void error(int status, String text) {
        send(status, TEXT, Unpooled.copiedBuffer(text + "\n", StandardCharsets.UTF_8), "X-Content-Type-Options: nosniff");
    }

    /** Go's answer to a method the handler does not take. */
    public void methodNotAllowed(String allowed) {
        send(405, TEXT, Unpooled.copiedBuffer("Method Not Allowed\n", StandardCharsets.UTF_8), "Allow: " + allowed,
                "X-Content-Type-Options: nosniff");
    }

    /** Starts a chunked response; follow with {@link #chunk} calls and one {@link #end}. */
    public void startStream(int status, String contentType) {
        streaming = true;
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        headers(r.headers(), contentType);
        HttpUtil.setTransferEncodingChunked(r, true);
        ctx.writeAndFlush(r);
    }

    public ChannelFuture chunk(String text) {
        return ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)));
    }

    public void end() {
        finish(ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
    }

    public boolean isStreaming() {
        return streaming;
    }

    /** Runs {@code r} when the client goes away (to cancel a stream it was reading). */
    public void onClose(Runnable r) {
        ctx.channel().closeFuture().addListener(f -> r.run());
    }

    private void headers(HttpHeaders h, String contentType) {
        if (cors) {
            // etcd's client listener answers every request with these.
            h.set("Access-Control-Allow-Headers", "accept, content-type, authorization");
            h.set("Access-Control-Allow-Methods", "POST, GET, OPTIONS, PUT, DELETE");
            h.set("Access-Control-Allow-Origin", "*");
        }
        if (contentType != null) {
            h.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        h.set(HttpHeaderNames.DATE, DateFormatter.format(new Date()));
    }

    private void finish(ChannelFuture f) {
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
