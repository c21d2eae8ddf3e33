package dev.etcdj.cli.serve;

import java.util.List;

/**
 * One flag of etcd 3.4's {@code etcd} command: its value kind (which decides how Go's flag package
 * parses it), default, help group and text, and what {@code etcdj serve} does with it.
 *
 * @param def the default as etcd's flag set holds it (parsed by {@link Kind})
 * @param choices the accepted values of a {@link Kind#CHOICE} flag
 */
record Flag(String name, Kind kind, String def, List<String> choices, String group, String help, Status status,
        String note) {

    /** Value kinds, named after the Go types etcd declares its flags with. */
    enum Kind {
        STRING, BOOL, UINT, UINT64, INT, INT64, UINT32, DURATION,
        /** flags.UniqueURLs: comma-separated URLs, each checked as types.NewURLs does, kept sorted. */
        URLS,
        /** flags.UniqueStringsValue: comma-separated, duplicates dropped, kept sorted. */
        STRINGS,
        /** flags.StringsValue: comma-separated, in order. */
        CSV,
        /** flags.SelectiveStringValue: one of {@link Flag#choices}. */
        CHOICE,
        /** flags.IgnoredFlag: a flag of older etcd versions, accepted (with or without a value) and ignored. */
        IGNORED
    }

    /** What serve does with a flag; the README table is made from these. */
    enum Status {
        /** Does what etcd does. */
        IMPLEMENTED,
        /** Only concerns peers, raft or etcd's own storage files: accepted (and validated), with a one-line notice. */
        NO_OP,
        /** Needs other members, the v2 API or something etcdj lacks: refused, unless left at its default. */
        REFUSED
    }

    boolean isBool() {
        return kind == Kind.BOOL || kind == Kind.IGNORED;
    }
}
