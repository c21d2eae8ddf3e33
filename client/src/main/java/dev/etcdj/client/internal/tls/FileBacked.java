package dev.etcdj.client.internal.tls;

/** Material read from files: looks whether they changed (reloading if so) and says which load is in use. */
public interface FileBacked {
    /** Reloads if a file changed; a number that changes with every successful reload. */
    long generation();
}
