package dev.etcdj.client;

/** What a get sorts its keys by. */
public enum SortTarget { KEY, VERSION, CREATE, MOD, VALUE }
