package dev.etcdj.client;

/** Membership errors: member not found, already exists, peer URL in use, bad URLs, learner rules, not enough started members. {@link #error()} tells which. */
public class MemberException extends EtcdPreconditionException {

    public MemberException(EtcdError error, String message, Throwable cause) {
        super(codeOr(error, Code.FAILED_PRECONDITION), error, message, cause);
    }
}
