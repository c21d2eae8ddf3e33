package dev.etcdj.server.internal.snapshot.bbolt;

import java.io.IOException;

/** The file is not a readable bbolt database; the message is bbolt's text where bbolt has one. */
public final class BoltFormatException extends IOException {
    public BoltFormatException(String message) {
        super(message);
    }
}
