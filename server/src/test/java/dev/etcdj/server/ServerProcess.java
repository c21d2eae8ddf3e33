package dev.etcdj.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Our server in its own JVM ({@link TestServerMain}), for kill -9 and etcdctl tests. */
final class ServerProcess implements AutoCloseable {
    final Process process;
    final String endpoint;

    private ServerProcess(Process process, String endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    static ServerProcess start(Path dataDir, String... extra) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), TestServerMain.class.getName(),
                dataDir == null ? "mem" : dataDir.toString()));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("READY ")) {
                        return line.substring(6).trim();
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        try {
            String ep = ready.get(60, TimeUnit.SECONDS);
            if (ep == null) {
                throw new IOException("server process exited before READY");
            }
            return new ServerProcess(p, ep);
        } catch (Exception e) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            throw new IOException("server process did not start", e);
        }
    }

    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.getOutputStream().close(); // clean shutdown
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill9();
            }
        }
    }
}
