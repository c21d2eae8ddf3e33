package dev.etcdj.tck.linearizability;

import dev.etcdj.testing.linearizability.LinearizabilityExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small helpers to name faults and to report a run. */
final class Faults {
    private Faults() {
    }

    interface Action {
        void run() throws Exception;
    }

    static FaultRun.Fault of(String name, Action inject, Action heal) {
        return new FaultRun.Fault() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void inject() throws Exception {
                inject.run();
            }

            @Override
            public void heal() throws Exception {
                heal.run();
            }
        };
    }

    /** Prints the run's figures and checks, and leaves them in {@code target/linearizability-<target>.txt}. */
    static void report(String target, FaultRun.Summary summary, LinearizabilityExtension lin) {
        if (summary == null) {
            return;
        }
        StringBuilder sb = new StringBuilder("linearizability run on " + target + ": " + summary.line());
        if (lin.lastResult() != null) {
            sb.append("\n").append(lin.lastResult().report());
        }
        if (lin.lastWatchResult() != null) {
            sb.append("\n").append(lin.lastWatchResult().report());
        }
        System.out.println(sb);
        try {
            Files.writeString(Path.of("target", "linearizability-" + target + ".txt"), sb + "\n");
        } catch (IOException e) {
            System.err.println("cannot write the report file: " + e);
        }
    }
}
