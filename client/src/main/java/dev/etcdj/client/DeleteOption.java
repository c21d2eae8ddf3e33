package dev.etcdj.client;

/** An option of a delete; made by the static methods of {@link Options}. */
public sealed interface DeleteOption permits Options.KeyRange, Options.PrevKv {}
