package dev.etcdj.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two questions the harness asks etcd, over its HTTP endpoints (etcd serves HTTP/1.1 and
 * gRPC on the same client port). Plain java.net.http so the harness needs no client library,
 * and in particular not ours: the harness must work while our client is broken.
 */
final class EtcdHttp {
    // HTTP/1.1 only: the JDK's h2c upgrade attempt is not something etcd's port multiplexer expects.
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1))
            .build();

    // grpc-gateway renders uint64 as JSON strings; accept bare numbers too.
    private static final Pattern MEMBER_ID = Pattern.compile("\"member_?[iI]d\"\\s*:\\s*\"?(\\d+)");
    private static final Pattern LEADER = Pattern.compile("\"leader\"\\s*:\\s*\"?(\\d+)");
    private static final Pattern RAFT_TERM = Pattern.compile("\"raft_?[tT]erm\"\\s*:\\s*\"?(\\d+)");

    private EtcdHttp() {
    }

    /** True when {@code GET /health} answers {@code "health":"true"} within the timeout. */
    static boolean healthy(String endpoint, Duration timeout) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + "/health"))
                    .timeout(timeout).GET().build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"health\":\"true\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** What one member says about itself and its leader. */
    record Status(String memberId, String leaderId, long raftTerm) {
        boolean isLeader() {
            return memberId.equals(leaderId);
        }
    }

    /** {@code POST /v3/maintenance/status} on etcd's JSON gateway; empty if no answer in time. */
    static Optional<Status> status(String endpoint, Duration timeout) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + "/v3/maintenance/status"))
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            String body = response.body();
            Matcher member = MEMBER_ID.matcher(body);
            Matcher leader = LEADER.matcher(body);
            Matcher term = RAFT_TERM.matcher(body);
            if (!member.find() || !leader.find()) {
                return Optional.empty();
            }
            long raftTerm = term.find() ? Long.parseLong(term.group(1)) : 0L;
            return Optional.of(new Status(member.group(1), leader.group(1), raftTerm));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
