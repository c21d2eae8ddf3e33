package dev.etcdj.proto.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Whether files that material was loaded from (TLS certificates, keys, trust stores) changed since.
 * A stat per file decides (time stamp, size, and file key, so a file renamed over counts), except
 * just after a load: a rewrite in place within the file system's time-stamp granularity of the write
 * before (up to 2 s on some) keeps all three. While a file's time stamp is that recent, and once
 * after, the files' contents are compared too (a SHA-256 of a few KB); then the stat alone decides.
 * Shared by the client's and the server's reloading TLS material.
 */
public final class FileVersions {

    /** The coarsest time-stamp granularity of a common file system (FAT's 2 s). */
    static final long RACY_MILLIS = 2_000;

    /**
     * The files as seen at one moment. Take it <em>before</em> reading them to load, so that any
     * write after it is found, at worst one load too many.
     */
    public static final class Seen {
        private final List<Object> stamps;
        private final byte[] digest;
        // Until then a same-tick rewrite could hide behind unchanged stamps; 0: settled.
        private volatile long racyUntil;

        private Seen(List<Object> stamps, byte[] digest, long racyUntil) {
            this.stamps = stamps;
            this.digest = digest;
            this.racyUntil = racyUntil;
        }

        /** Same stamps and contents: the files as another look saw them. */
        public boolean sameAs(Seen other) {
            return other != null && stamps.equals(other.stamps) && Arrays.equals(digest, other.digest);
        }
    }

    private final List<Path> files;

    public FileVersions(List<Path> files) {
        this.files = List.copyOf(files);
    }

    public List<Path> files() {
        return files;
    }

    /** Looks at the files now: their stamps and contents. */
    public Seen look() {
        List<Object> stamps = stamps();
        long newest = Long.MIN_VALUE;
        for (Object s : stamps) {
            newest = Math.max(newest, s instanceof Stamp st ? st.modified.toMillis() : Long.MAX_VALUE - RACY_MILLIS);
        }
        return new Seen(stamps, digest(), newest + RACY_MILLIS);
    }

    /** Whether the files differ from what {@code seen} saw: a stat per file once settled. */
    public boolean changedSince(Seen seen) {
        if (!stamps().equals(seen.stamps)) {
            return true;
        }
        long until = seen.racyUntil;
        if (until == 0) {
            return false;
        }
        if (!Arrays.equals(digest(), seen.digest)) {
            return true; // rewritten within the time stamp's granularity: the stamps cannot tell
        }
        if (System.currentTimeMillis() >= until) {
            seen.racyUntil = 0; // a later write must now change a time stamp
        }
        return false;
    }

    private record Stamp(FileTime modified, long size, Object fileKey) {}

    private List<Object> stamps() {
        List<Object> out = new ArrayList<>(files.size());
        for (Path p : files) {
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                out.add(new Stamp(a.lastModifiedTime(), a.size(), Objects.requireNonNullElse(a.fileKey(), "")));
            } catch (IOException e) {
                // Missing for a moment while replaced: a stamp of its own, so it is looked at again.
                out.add(e.getClass().getSimpleName());
            }
        }
        return out;
    }

    private byte[] digest() {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        for (Path p : files) {
            try {
                md.update(Files.readAllBytes(p));
            } catch (IOException e) {
                md.update(e.getClass().getSimpleName().getBytes(StandardCharsets.US_ASCII));
            }
            md.update((byte) 0); // file boundary
        }
        return md.digest();
    }
}
