package dev.etcdj.tck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Sends HTTP/1.1 requests to one etcd (real or ours) and writes a transcript: each request, the
 * status and the body, with only what may legitimately differ masked (ids, terms, tokens, and what
 * depends on the storage engine). Two transcripts of the same script must then be equal.
 */
final class HttpScript {
    private static final Pattern MASKED = Pattern.compile(
            "\"(cluster_id|member_id|memberID|leader|raft_term|raftTerm|raftIndex|raftAppliedIndex|dbSize|dbSizeInUse"
                    + "|hash|token|blob|remaining_bytes)\":(\"[^\"]*\"|\\d+)");
    private static final Pattern MEMBER_ID = Pattern.compile("\"ID\":\"(\\d+)\"");
    private static final Pattern URLS = Pattern.compile("\"(peerURLs|clientURLs)\":\\[[^\\]]*\\]");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String endpoint;
    private final StringBuilder out = new StringBuilder();
    private String token;

    HttpScript(String endpoint) {
        this.endpoint = endpoint;
    }

    String transcript() {
        return out.toString();
    }

    /** The bare token to send in {@code Authorization} from now on (null: none). */
    void token(String token) {
        this.token = token;
    }

    HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), "GET " + path(url));
    }

    HttpResponse<String> method(String method, String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody()),
                method + " " + path(url));
    }

    /** POST {@code json} to {@code path} on the client URL. */
    HttpResponse<String> post(String path, String json) {
        return send(postRequest(path, json), "POST " + path + " " + json);
    }

    /** POSTs each of {@code jsons} to {@code path} in turn. */
    void postEach(String path, String... jsons) {
        for (String json : jsons) {
            post(path, json);
        }
    }

    /** Only the status: for bodies that differ by nature (metrics text, snapshot bytes). */
    int status(String url) {
        HttpResponse<String> r = exchange(HttpRequest.newBuilder(URI.create(url)).GET());
        out.append("GET ").append(path(url)).append(" -> ").append(r.statusCode()).append('\n');
        return r.statusCode();
    }

    /**
     * POSTs a streaming call and records its first {@code lines} lines; {@code whileOpen} runs once the
     * first line has arrived (e.g. writes for a watch to report), then the stream is dropped.
     */
    void stream(String path, String json, int lines, Runnable whileOpen) {
        out.append("POST ").append(path).append(' ').append(json).append(" -> stream\n");
        CompletableFuture<HttpResponse<Stream<String>>> f =
                http.sendAsync(postRequest(path, json).build(), HttpResponse.BodyHandlers.ofLines());
        try {
            HttpResponse<Stream<String>> r = f.get(60, TimeUnit.SECONDS);
            out.append("  status ").append(r.statusCode()).append('\n');
            try (Stream<String> body = r.body()) {
                Iterator<String> it = body.iterator();
                List<String> got = new ArrayList<>();
                CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < lines && it.hasNext(); i++) {
                        String line = it.next();
                        synchronized (got) {
                            got.add(line);
                            got.notifyAll();
                        }
                    }
                });
                synchronized (got) {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (got.isEmpty() && !reading.isDone() && System.nanoTime() < deadline) {
                        got.wait(1000);
                    }
                }
                whileOpen.run();
                reading.get(60, TimeUnit.SECONDS);
                for (String line : got) {
                    out.append("  ").append(mask(line)).append('\n');
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("stream " + path + " on " + endpoint + ": " + e, e);
        }
    }

    /** A field of a JSON answer, e.g. the token of an authenticate. */
    static String field(HttpResponse<String> r, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(r.body());
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + r.body());
        }
        return m.group(1);
    }

    private HttpRequest.Builder postRequest(String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(endpoint + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", token);
        }
        return b;
    }

    private HttpResponse<String> send(HttpRequest.Builder b, String label) {
        HttpResponse<String> r = exchange(b);
        out.append(mask(label)).append(" -> ").append(r.statusCode()).append(' ')
                .append(r.headers().firstValue("content-type").orElse("-")).append('\n')
                .append("  ").append(mask(r.body()).replace("\n", "\\n")).append('\n');
        return r;
    }

    private HttpResponse<String> exchange(HttpRequest.Builder b) {
        try {
            return http.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String path(String url) {
        URI u = URI.create(url);
        return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    }

    static String mask(String body) {
        String s = MASKED.matcher(body).replaceAll("\"$1\":\"*\"");
        s = URLS.matcher(s).replaceAll("\"$1\":[*]");
        // Member ids (random per cluster) but not the lease ids the script chose itself (< 10^6).
        return MEMBER_ID.matcher(s).replaceAll(m -> m.group(1).length() > 6 ? "\"ID\":\"*\"" : m.group());
    }
}
