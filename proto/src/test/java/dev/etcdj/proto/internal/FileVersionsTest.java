package dev.etcdj.proto.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When reloadable material's files count as changed: stats, and contents while a stamp is recent. */
class FileVersionsTest {

    @TempDir
    Path dir;

    private final FileTime longAgo = FileTime.fromMillis(System.currentTimeMillis() - 60_000);

    /** Rewrites in place with the same size, then puts the time stamp back: only the bytes differ. */
    private static void rewriteKeepingTheStamp(Path p, String sameLength, FileTime stamp) throws Exception {
        Files.writeString(p, sameLength);
        Files.setLastModifiedTime(p, stamp);
    }

    @Test
    void aRewriteWithinTheTimeStampsGranularityIsSeenByItsContents() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        FileTime now = FileTime.fromMillis(System.currentTimeMillis());
        rewriteKeepingTheStamp(cert, "certificate A", now);
        rewriteKeepingTheStamp(key, "key A", now);
        FileVersions versions = new FileVersions(List.of(cert, key));
        FileVersions.Seen seen = versions.look();
        assertThat(versions.changedSince(seen)).isFalse();

        rewriteKeepingTheStamp(key, "key B", now);
        assertThat(versions.changedSince(seen)).as("same size, inode and time; new bytes").isTrue();
        assertThat(versions.look().sameAs(seen)).isFalse();
    }

    @Test
    void pastTheWindowOneContentCheckThenTheStatAloneDecides() throws Exception {
        Path cert = dir.resolve("cert.pem");
        rewriteKeepingTheStamp(cert, "certificate A", longAgo);
        FileVersions versions = new FileVersions(List.of(cert));
        FileVersions.Seen seen = versions.look();

        // A same-stamp rewrite between the load and the first check is still found by that check.
        rewriteKeepingTheStamp(cert, "certificate B", longAgo);
        assertThat(versions.changedSince(seen)).isTrue();

        FileVersions.Seen reloaded = versions.look();
        assertThat(versions.changedSince(reloaded)).as("checked once, settled").isFalse();
        rewriteKeepingTheStamp(cert, "certificate C", longAgo);
        assertThat(versions.changedSince(reloaded))
                .as("settled: a stat per file, as no real write can keep an old time stamp").isFalse();
        Files.setLastModifiedTime(cert, FileTime.fromMillis(System.currentTimeMillis()));
        assertThat(versions.changedSince(reloaded)).as("a new time stamp").isTrue();
    }

    @Test
    void aFileRenamedOverOrMissingCounts() throws Exception {
        Path cert = dir.resolve("cert.pem");
        rewriteKeepingTheStamp(cert, "certificate A", longAgo);
        FileVersions versions = new FileVersions(List.of(cert));
        FileVersions.Seen seen = versions.look();
        assertThat(versions.changedSince(seen)).isFalse();

        Path next = dir.resolve("cert.pem.new");
        rewriteKeepingTheStamp(next, "certificate A", longAgo);
        Files.move(next, cert, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertThat(versions.changedSince(seen)).as("renamed over: a new inode").isTrue();

        FileVersions.Seen renamed = versions.look();
        Files.delete(cert);
        assertThat(versions.changedSince(renamed)).as("missing while replaced").isTrue();
    }
}
