/**
 * Coordination recipes built only on etcdj's public client API, with the semantics of Go's
 * {@code clientv3/concurrency} and {@code clientv3/namespace} packages, so Java and Go processes can
 * share the same locks and elections:
 * <ul>
 *   <li>{@link dev.etcdj.recipes.Session}: a lease kept alive while the process lives.</li>
 *   <li>{@link dev.etcdj.recipes.Mutex}: a fair distributed lock bound to a session.</li>
 *   <li>{@link dev.etcdj.recipes.Election}: campaign, proclaim, resign, and observe the leader.</li>
 *   <li>{@link dev.etcdj.recipes.Stm}: software transactional memory with retries on conflict.</li>
 *   <li>{@link dev.etcdj.recipes.Namespace}: client views confined to a key prefix.</li>
 *   <li>{@link dev.etcdj.recipes.WatchCache}: a local, watch-maintained copy of a prefix.</li>
 *   <li>Go's experimental recipes, with Go's key layout: {@link dev.etcdj.recipes.Barrier},
 *       {@link dev.etcdj.recipes.DoubleBarrier}, {@link dev.etcdj.recipes.Queue},
 *       {@link dev.etcdj.recipes.PriorityQueue}, {@link dev.etcdj.recipes.RWMutex}.</li>
 *   <li>{@link dev.etcdj.recipes.OrderedKv}: a KV view that never goes back in revision (Go's {@code ordering}).</li>
 * </ul>
 * Asynchronous operations return {@link java.util.concurrent.CompletableFuture}s that fail with
 * {@link dev.etcdj.client.EtcdException} subtypes; {@link dev.etcdj.client.Futures#await} waits
 * without the wrapping.
 */
package dev.etcdj.recipes;
