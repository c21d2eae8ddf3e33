// etcdgointerop plays one role of etcd's own Go recipes (clientv3/concurrency, clientv3/leasing,
// clientv3/namespace, contrib/recipes) per run, so the Java recipes can be tested against Go processes
// sharing their keys. It reports what happens as lines on stdout ("acquired <key>", "leader <value>",
// ...) and takes its cues from lines on stdin ("release", "get k", ...); closing stdin ends it at once.
// Built in GOPATH mode against the etcd 3.4 sources Debian ships (golang-etcd-server-dev); GoRecipes in
// the recipes tests does that.
//
//	etcdgointerop -endpoints 127.0.0.1:2379 lock /locks/a
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	v3 "go.etcd.io/etcd/clientv3"
	"go.etcd.io/etcd/clientv3/concurrency"
	"go.etcd.io/etcd/clientv3/leasing"
	"go.etcd.io/etcd/clientv3/namespace"
	recipe "go.etcd.io/etcd/contrib/recipes"
)

var (
	ctx   = context.Background()
	lines = make(chan string)
)

func main() {
	endpoints := flag.String("endpoints", "127.0.0.1:2379", "comma-separated client URLs")
	ttl := flag.Int("ttl", 10, "session TTL in seconds")
	flag.Parse()
	args := flag.Args()
	if len(args) < 2 {
		fail("usage: etcdgointerop [-endpoints e] [-ttl s] <role> <key> [args...]")
	}

	go readStdin()

	cli, err := v3.New(v3.Config{Endpoints: strings.Split(*endpoints, ","), DialTimeout: 5 * time.Second})
	check(err)
	defer cli.Close()

	role, key, rest := args[0], args[1], args[2:]
	switch role {
	case "lock":
		s := session(cli, *ttl)
		m := concurrency.NewMutex(s, key)
		say("session %x", s.Lease())
		check(m.Lock(ctx))
		say("acquired %s %d", m.Key(), m.Header().Revision)
		await("release")
		check(m.Unlock(ctx))
		say("released")
	case "campaign":
		s := session(cli, *ttl)
		e := concurrency.NewElection(s, key)
		say("session %x", s.Lease())
		check(e.Campaign(ctx, arg(rest, 0)))
		say("leader %s", e.Key())
		for {
			line := <-lines
			if v := strings.TrimPrefix(line, "proclaim "); v != line {
				check(e.Proclaim(ctx, v))
				say("proclaimed")
				continue
			}
			if line != "resign" {
				fail("campaign: unknown command " + line)
			}
			check(e.Resign(ctx))
			say("resigned")
			return
		}
	case "observe":
		s := session(cli, *ttl)
		e := concurrency.NewElection(s, key)
		say("observing")
		for resp := range e.Observe(ctx) {
			say("leader %s", resp.Kvs[0].Value)
		}
	case "leasing":
		lkv, closeKv, err := leasing.NewKV(cli, key, concurrency.WithTTL(*ttl))
		check(err)
		defer closeKv()
		serveKV(lkv)
	case "namespace":
		serveKV(namespace.NewKV(cli.KV, key))
	case "stm-increment":
		// Adds 1 to the counter key n times, each in its own serializable-snapshot STM transaction.
		for i := 0; i < count(rest); i++ {
			_, err := concurrency.NewSTM(cli, func(stm concurrency.STM) error {
				n := 0
				if v := stm.Get(key); v != "" {
					var err error
					if n, err = strconv.Atoi(v); err != nil {
						return err
					}
				}
				stm.Put(key, strconv.Itoa(n+1))
				return nil
			})
			check(err)
		}
		say("incremented")
	case "queue-enqueue":
		q := recipe.NewQueue(cli, key)
		for _, v := range rest {
			check(q.Enqueue(v))
		}
		say("enqueued %d", len(rest))
	case "queue-dequeue":
		dequeue(recipe.NewQueue(cli, key), count(rest))
	case "pq-enqueue":
		q := recipe.NewPriorityQueue(cli, key)
		for _, pv := range rest {
			p := strings.SplitN(pv, ":", 2)
			pr, err := strconv.ParseUint(p[0], 10, 16)
			check(err)
			check(q.Enqueue(arg(p, 1), uint16(pr)))
		}
		say("enqueued %d", len(rest))
	case "pq-dequeue":
		dequeue(recipe.NewPriorityQueue(cli, key), count(rest))
	case "barrier-hold":
		b := recipe.NewBarrier(cli, key)
		err := b.Hold()
		if err == recipe.ErrKeyExists {
			say("exists")
			return
		}
		check(err)
		say("held")
		await("release")
		check(b.Release())
		say("released")
	case "barrier-wait":
		b := recipe.NewBarrier(cli, key)
		say("waiting")
		check(b.Wait())
		say("passed")
	case "double-barrier":
		s := session(cli, *ttl)
		b := recipe.NewDoubleBarrier(s, key, count(rest))
		say("entering")
		check(b.Enter())
		say("entered")
		await("leave")
		check(b.Leave())
		say("left")
	case "rlock", "wlock":
		s := session(cli, *ttl)
		m := recipe.NewRWMutex(s, key)
		lock, unlock := m.Lock, m.Unlock
		if role == "rlock" {
			lock, unlock = m.RLock, m.RUnlock
		}
		say("locking")
		check(lock())
		say("acquired")
		await("release")
		check(unlock())
		say("released")
	default:
		fail("unknown role " + role)
	}
}

// serveKV answers "get k", "put k v" and "delete k" lines through kv until stdin ends.
func serveKV(kv v3.KV) {
	say("ready")
	for {
		line := <-lines
		f := strings.SplitN(line, " ", 3)
		switch {
		case f[0] == "get" && len(f) == 2:
			resp, err := kv.Get(ctx, f[1])
			check(err)
			if len(resp.Kvs) == 0 {
				say("absent %s", f[1])
			} else {
				say("value %s %s", f[1], resp.Kvs[0].Value)
			}
		case f[0] == "put" && len(f) == 3:
			_, err := kv.Put(ctx, f[1], f[2])
			check(err)
			say("put %s", f[1])
		case f[0] == "delete" && len(f) == 2:
			_, err := kv.Delete(ctx, f[1])
			check(err)
			say("deleted %s", f[1])
		default:
			fail("unknown command " + line)
		}
	}
}

// dequeue takes n elements, waiting for each, and prints them in the order taken.
func dequeue(q interface{ Dequeue() (string, error) }, n int) {
	for i := 0; i < n; i++ {
		v, err := q.Dequeue()
		check(err)
		say("value %s", v)
	}
}

func session(cli *v3.Client, ttl int) *concurrency.Session {
	s, err := concurrency.NewSession(cli, concurrency.WithTTL(ttl))
	check(err)
	return s
}

// readStdin forwards stdin's lines. Its end (the test closed our stdin, or its JVM died) ends the
// program at once, whatever it was waiting for: no helper outlives the test that started it.
func readStdin() {
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		lines <- sc.Text()
	}
	os.Exit(0)
}

// await blocks until stdin brings the cue.
func await(cue string) {
	if line := <-lines; line != cue {
		fail(fmt.Sprintf("expected %q, got %q", cue, line))
	}
}

func arg(args []string, i int) string {
	if i >= len(args) {
		fail("missing argument")
	}
	return args[i]
}

func count(args []string) int {
	n, err := strconv.Atoi(arg(args, 0))
	check(err)
	return n
}

func say(format string, a ...interface{}) {
	fmt.Printf(format+"\n", a...)
}

func check(err error) {
	if err != nil {
		fail(err.Error())
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "etcdgointerop: "+msg)
	os.Exit(1)
}
