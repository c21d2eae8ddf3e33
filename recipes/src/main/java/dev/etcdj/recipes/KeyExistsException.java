package dev.etcdj.recipes;

import dev.etcdj.client.EtcdException;

/** A recipe's key that must be new already exists (Go's {@code recipe.ErrKeyExists}). */
public class KeyExistsException extends EtcdException {

    public KeyExistsException(String key) {
        super(Code.ALREADY_EXISTS, "key already exists: " + key);
    }
}
