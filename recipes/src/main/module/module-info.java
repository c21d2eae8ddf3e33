/** etcdj recipes: session, lock, election, STM, namespace and watch cache, on the public client API. */
module dev.etcdj.recipes {
    requires transitive dev.etcdj.client;

    exports dev.etcdj.recipes;
}
