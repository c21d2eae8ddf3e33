package dev.etcdj.client;

/** A get's sort order; NONE leaves keys in key order. */
public enum SortOrder { NONE, ASCEND, DESCEND }
