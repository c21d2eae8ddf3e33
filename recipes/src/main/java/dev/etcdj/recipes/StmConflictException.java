package dev.etcdj.recipes;

import dev.etcdj.client.EtcdException;

/** An STM transaction kept conflicting with concurrent ones and gave up after its allowed attempts. */
public class StmConflictException extends EtcdException {

    private final int attempts;

    public StmConflictException(int attempts) {
        super(Code.ABORTED, "stm: gave up after " + attempts + " conflicting commits");
        this.attempts = attempts;
    }

    public int attempts() {
        return attempts;
    }
}
