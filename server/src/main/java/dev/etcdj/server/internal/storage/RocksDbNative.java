package dev.etcdj.server.internal.storage;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads RocksDB's native library once per JVM without what {@link RocksDB#loadLibrary()} does at each
 * start: it copies the 15 MB library out of the jar into a new temp file, deleted only at a normal exit
 * (a server killed with SIGKILL leaves it behind: hundreds of them filled {@code /tmp} during test runs),
 * and first runs {@code sh -c "ldd /usr/bin/env | grep -q musl"} to pick the musl or glibc build (five
 * processes, tens of ms of CPU on a restart's critical path).
 *
 * <p>Here, libc is told apart by looking for musl's loader in {@code /lib} (RocksDB's own fallback check),
 * and the library is copied once per user and build into {@code <java.io.tmpdir>/etcdj-rocksdbjni-<user>/
 * <size>-<crc>/} (a directory only its owner can write), where every later JVM loads it from. A library
 * found on {@code java.library.path}, or {@code ROCKSDB_SHAREDLIB_DIR} set, is left to RocksDB's loader;
 * so is any failure here, which is logged.
 */
final class RocksDbNative {
    private static final Logger LOG = LoggerFactory.getLogger(RocksDbNative.class);
    /** The system property that moves the per-user cache (default: {@code java.io.tmpdir}). */
    static final String CACHE_DIR_PROPERTY = "etcdj.rocksdb.native-dir";

    private RocksDbNative() {
    }

    static void load() {
        presetLibc();
        // The library's name in the jar and on java.library.path (librocksdbjni-linux64.so).
        String name = Environment.getJniLibraryFileName("rocksdb");
        if (System.getenv("ROCKSDB_SHAREDLIB_DIR") != null || onLibraryPath(name)) {
            RocksDB.loadLibrary();
            return;
        }
        try {
            Path dir = cached(name);
            if (dir != null) {
                RocksDB.loadLibrary(List.of(dir.toString()));
                return;
            }
        } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
            LOG.atWarn().setCause(e).log("cannot keep RocksDB's native library in a cache directory; RocksDB unpacks it into a temp file");
        }
        RocksDB.loadLibrary();
    }

    /**
     * Tells RocksDB's {@link Environment} whether libc is musl, so it does not start processes to find
     * out. Unless {@code ROCKSDB_MUSL_LIBC} says it (RocksDB reads that itself) or the field is gone.
     */
    private static void presetLibc() {
        if (System.getenv("ROCKSDB_MUSL_LIBC") != null || !Environment.isUnix() || Environment.isMac()) {
            return;
        }
        try {
            Field f = Environment.class.getDeclaredField("MUSL_LIBC");
            f.setAccessible(true);
            if (f.get(null) == null) {
                f.set(null, isMusl());
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.atDebug().setCause(e).log("RocksDB will run ldd to tell musl from glibc");
        }
    }

    /** musl's dynamic loader or libc in {@code /lib} (ld-musl-x86_64.so.1, libc.musl-x86_64.so.1). */
    static boolean isMusl() {
        String[] names = new File("/lib").list();
        if (names != null) {
            for (String n : names) {
                if (n.startsWith("ld-musl-") || n.startsWith("libc.musl")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean onLibraryPath(String name) {
        String path = System.getProperty("java.library.path", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && new File(dir, name).isFile()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The cache directory holding the library under the file name {@link RocksDB#loadLibrary(List)} looks
     * for, copied there first if needed; null if the jar holds no library for this platform.
     */
    static Path cached(String name) throws IOException {
        // The jar RocksDB's classes come from (the server's fat jar, or rocksdbjni's own) holds the
        // library too. Opened by its path, it shares the central directory the class loader has
        // already read; ClassLoader.getResource would first look for the name, which has no package,
        // in every module of the JDK (20-70 ms of a start's CPU on the recovery thread).
        File jarFile = codeSourceJar();
        if (jarFile != null) {
            try (JarFile jar = new JarFile(jarFile, false)) {
                JarEntry entry = jar.getJarEntry(name);
                if (entry != null && entry.getSize() >= 0) {
                    return cached(entry.getSize(), Long.toHexString(entry.getCrc()), () -> jar.getInputStream(entry),
                            jarFile + "!/" + name);
                }
            }
        }
        URL url = RocksDB.class.getClassLoader().getResource(name);
        if (url == null) {
            return null;
        }
        JarEntry entry = entry(url);
        long size = entry != null ? entry.getSize() : url.openConnection().getContentLengthLong();
        // The library's identity, as the jar lists it (no need to read 15 MB to know it).
        String id = entry != null ? Long.toHexString(entry.getCrc()) : Long.toHexString(url.openConnection().getLastModified());
        return cached(size, id, url::openStream, url.toString());
    }

    private interface Source {
        InputStream open() throws IOException;
    }

    /** {@code <own dir>/<size>-<id>/}, the library copied into it from {@code source} unless already there. */
    private static Path cached(long size, String id, Source source, String what) throws IOException {
        Path dir = ownDir().resolve(size + "-" + id);
        Files.createDirectories(dir);
        Path lib = dir.resolve(Environment.getJniLibraryFileName("rocksdbjni"));
        if (Files.isRegularFile(lib) && Files.size(lib) == size) {
            return dir;
        }
        // Copied to a private name, then renamed: a JVM starting meanwhile never loads half a file,
        // and one that has mapped an older copy keeps it.
        Path part = Files.createTempFile(dir, "copy-", ".part");
        try {
            try (InputStream in = source.open()) {
                Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            }
            if (Files.size(part) != size) {
                throw new IOException("copied " + Files.size(part) + " bytes of " + what + ", expected " + size);
            }
            Files.move(part, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(part);
        }
        return dir;
    }

    /** The jar file RocksDB's classes were loaded from, or null if they were not loaded from a local jar. */
    private static File codeSourceJar() {
        try {
            java.security.CodeSource cs = RocksDB.class.getProtectionDomain().getCodeSource();
            URL loc = cs == null ? null : cs.getLocation();
            if (loc == null || !"file".equals(loc.getProtocol())) {
                return null;
            }
            File f = new File(loc.toURI());
            return f.isFile() ? f : null;
        } catch (java.net.URISyntaxException | RuntimeException e) {
            LOG.atDebug().setCause(e).log("RocksDB's jar not found by its code source; looking the library up as a resource");
            return null;
        }
    }

    /**
     * {@code <cache>/etcdj-rocksdbjni-<user>}, created for its owner alone; refused (IOException) if
     * someone else owns it or may write to it: the library in it is code this JVM runs.
     */
    private static Path ownDir() throws IOException {
        String base = System.getProperty(CACHE_DIR_PROPERTY, System.getProperty("java.io.tmpdir"));
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        Path dir = Path.of(base, "etcdj-rocksdbjni-" + user);
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        try {
            if (posix) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectory(dir);
            }
        } catch (FileAlreadyExistsException e) {
            // made by an earlier start: checked below
        }
        if (posix) {
            PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            // This process's user: /proc/self's owner where there is one (a uid without a name in
            // /etc/passwd too, as in some containers), else the user named by user.name.
            Path self = Path.of("/proc/self");
            UserPrincipal me = Files.isDirectory(self) ? Files.getOwner(self)
                    : dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(System.getProperty("user.name"));
            Set<PosixFilePermission> p = a.permissions();
            if (!a.isDirectory() || !a.owner().equals(me)
                    || p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new AccessDeniedException(dir.toString(), null,
                        "not a directory of " + me.getName() + " that only its owner may write (" + a.owner().getName() + ", "
                                + PosixFilePermissions.toString(p) + ")");
            }
        }
        return dir;
    }

    /** The jar's entry for {@code url}, or null if it is not in a jar. */
    private static JarEntry entry(URL url) throws IOException {
        if (!(url.openConnection() instanceof JarURLConnection c)) {
            return null;
        }
        c.setUseCaches(false);
        try (JarFile jar = c.getJarFile()) {
            return jar.getJarEntry(c.getEntryName());
        }
    }
}
