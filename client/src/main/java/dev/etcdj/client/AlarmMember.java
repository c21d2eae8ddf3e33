package dev.etcdj.client;

/** An alarm raised on a member. */
public record AlarmMember(long memberId, Type type) {
    public enum Type { NONE, NOSPACE, CORRUPT }
}
