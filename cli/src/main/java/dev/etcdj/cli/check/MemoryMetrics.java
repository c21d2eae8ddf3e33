package dev.etcdj.cli.check;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * etcdctl's reading of a member's resident memory for {@code check datascale}: GET
 * {@code <endpoint>/metrics} (http:// added to a bare host:port), the value of the first line that
 * starts with {@code process_resident_memory_bytes}. A failure prints etcdctl's line for it on
 * {@code out} and reads as 0, which the command then reports as a failure.
 *
 * <p>Over https the --cert/--key pair is presented, as etcdctl does (with etcdctl's error line when
 * a file is missing), through the command's client's TLS context: so the server certificate is
 * checked against --cacert when given (etcdctl checks it against the system's roots only, and fails
 * on a private CA unless --insecure-skip-tls-verify), else the system's roots.
 */
public final class MemoryMetrics {

    static final String KEY = "process_resident_memory_bytes";

    private MemoryMetrics() {}

    public static double residentBytes(String host, String cert, String key, Optional<SSLContext> tls,
                                       PrintStream out) {
        if (!host.startsWith("http://") && !host.startsWith("https://")) {
            host = "http://" + host;
        }
        String url = host + "/metrics";
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30));
        if (host.startsWith("https://")) {
            for (String file : new String[] {cert, key}) {
                if (file.isEmpty() || !Files.isRegularFile(Path.of(file))) {
                    out.println("client certificate error: open " + file + ": no such file or directory");
                    return 0;
                }
            }
            tls.ifPresent(http::sslContext);
        }
        String body;
        try {
            HttpResponse<String> resp = http.build().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            body = resp.body();
        } catch (ConnectException e) {
            URI u = URI.create(url);
            out.println("fetch error: Get \"" + url + "\": dial tcp " + u.getHost() + ":" + port(u)
                    + ": connect: connection refused");
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            out.println("fetch error: Get \"" + url + "\": " + e.getMessage());
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println("fetch error: Get \"" + url + "\": context canceled");
            return 0;
        }
        return parse(body, out);
    }

    /** The resident memory in a Prometheus text exposition, or 0 with etcdctl's line on {@code out}. */
    static double parse(String body, PrintStream out) {
        String value = null;
        for (String line : body.split("\n", -1)) {
            if (line.startsWith(KEY)) {
                value = line.substring(KEY.length()).strip();
                break;
            }
        }
        if (value == null || value.isEmpty()) {
            out.println("could not find: " + KEY);
            return 0;
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            out.println("parse error: strconv.ParseFloat: parsing \"" + value + "\": invalid syntax");
            return 0;
        }
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : u.getScheme().equals("https") ? 443 : 80;
    }
}
