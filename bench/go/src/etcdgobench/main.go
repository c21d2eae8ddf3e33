// etcdgobench runs the key-value workloads of dev.etcdj.bench through etcd's own Go client
// (clientv3), with the same flags, the same keys and the same closed-loop workers, and prints one
// JSON object: the Go reference the Java clients are compared with. It builds against the clientv3
// sources Debian ships (golang-etcd-server-dev) in GOPATH mode; bench/run.sh does that.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	v3 "go.etcd.io/etcd/clientv3"
	"golang.org/x/time/rate"
)

type result struct {
	Workload   string  `json:"workload"`
	Ok         int64   `json:"ops"`
	Errors     int64   `json:"errors"`
	Seconds    float64 `json:"seconds"`
	Throughput float64 `json:"throughput"`
	Mean       float64 `json:"mean_ms"`
	Stddev     float64 `json:"stddev_ms"`
	P50        float64 `json:"p50_ms"`
	P90        float64 `json:"p90_ms"`
	P99        float64 `json:"p99_ms"`
	P999       float64 `json:"p999_ms"`
	Max        float64 `json:"max_ms"`
	FirstError string  `json:"first_error,omitempty"`
}

func key(prefix string, digits int, index int64) string {
	s := fmt.Sprintf("%0*d", digits, index)
	return prefix + s
}

func main() {
	endpoints := flag.String("endpoints", "127.0.0.1:2379", "comma separated endpoints")
	conns := flag.Int("conns", 1, "clients (gRPC connections)")
	clients := flag.Int("clients", 1, "concurrent workers")
	total := flag.Int64("total", 10000, "requests (0: until -duration)")
	duration := flag.Duration("duration", 0, "stop after this long")
	warmup := flag.Int64("warmup", -1, "requests to send first and discard (-1: total/10, at most 2000)")
	keySize := flag.Int("key-size", 8, "key size (at least)")
	valSize := flag.Int("val-size", 8, "value size")
	keySpace := flag.Int64("key-space-size", 1, "distinct keys")
	sequential := flag.Bool("sequential-keys", false, "walk the key space in order")
	rateLimit := flag.Float64("rate", 0, "requests per second over all workers (0: unlimited)")
	prefix := flag.String("prefix", "", "key prefix")
	consistency := flag.String("consistency", "l", "range: l or s")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: etcdgobench [flags] put|range|txn-put")
		os.Exit(2)
	}
	workload := flag.Arg(0)
	digits := len(fmt.Sprint(*keySpace - 1))
	if d := *keySize - len(*prefix); d > digits {
		digits = d
	}
	value := strings.Repeat("v", *valSize)

	cs := make([]*v3.Client, *conns)
	for i := range cs {
		c, err := v3.New(v3.Config{Endpoints: strings.Split(*endpoints, ","), DialTimeout: 5 * time.Second})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer c.Close()
		cs[i] = c
	}
	var getOpts []v3.OpOption
	if *consistency == "s" {
		getOpts = append(getOpts, v3.WithSerializable())
	}
	if workload == "range" {
		if *keySpace > 100000 {
			fmt.Fprintln(os.Stderr, "range: key space at most 100000")
			os.Exit(2)
		}
		for i := int64(0); i < *keySpace; i++ {
			if _, err := cs[0].Put(context.Background(), key(*prefix, digits, i), value); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
		}
	}
	do := func(c *v3.Client, k string) error {
		var err error
		switch workload {
		case "put":
			_, err = c.Put(context.Background(), k, value)
		case "range":
			_, err = c.Get(context.Background(), k, getOpts...)
		case "txn-put":
			_, err = c.Txn(context.Background()).Then(v3.OpPut(k, value)).Commit()
		default:
			fmt.Fprintln(os.Stderr, "unknown workload", workload)
			os.Exit(2)
		}
		return err
	}
	w := *warmup
	if w < 0 {
		w = *total / 10
		if w > 2000 {
			w = 2000
		}
	}
	if w > 0 {
		run(cs, *clients, w, 10*time.Minute, nil, *prefix, digits, *keySpace, *sequential, do)
	}
	max := *duration
	if max == 0 {
		max = 10 * time.Minute
	}
	var limiter *rate.Limiter
	if *rateLimit > 0 {
		limiter = rate.NewLimiter(rate.Limit(*rateLimit), 1)
	}
	r := run(cs, *clients, *total, max, limiter, *prefix, digits, *keySpace, *sequential, do)
	r.Workload = workload
	if *prefix != "" {
		cs[0].Delete(context.Background(), *prefix, v3.WithPrefix())
	}
	out, _ := json.Marshal(r)
	fmt.Println(string(out))
}

func run(cs []*v3.Client, clients int, total int64, max time.Duration, limiter *rate.Limiter, prefix string,
	digits int, keySpace int64, sequential bool, do func(*v3.Client, string) error) result {
	var issued, errors int64
	var firstError atomic.Value
	lat := make([][]time.Duration, clients)
	start := time.Now()
	deadline := start.Add(max)
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	var wg sync.WaitGroup
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rnd := rand.New(rand.NewSource(int64(w) + 1))
			c := cs[w%len(cs)]
			for {
				n := atomic.AddInt64(&issued, 1) - 1
				if (total > 0 && n >= total) || time.Now().After(deadline) {
					return
				}
				if limiter != nil && limiter.Wait(ctx) != nil {
					return
				}
				idx := n % keySpace
				if !sequential {
					idx = rnd.Int63n(keySpace)
				}
				k := key(prefix, digits, idx)
				st := time.Now()
				if err := do(c, k); err != nil {
					atomic.AddInt64(&errors, 1)
					firstError.Store(err.Error())
					continue
				}
				lat[w] = append(lat[w], time.Since(st))
			}
		}(i)
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	r := result{Ok: int64(len(all)), Errors: errors, Seconds: elapsed.Seconds()}
	if fe, ok := firstError.Load().(string); ok {
		r.FirstError = fe
	}
	if len(all) == 0 {
		return r
	}
	r.Throughput = float64(len(all)) / elapsed.Seconds()
	ms := func(d time.Duration) float64 { return float64(d) / 1e6 }
	pct := func(p float64) float64 {
		i := int(float64(len(all))*p/100+0.5) - 1
		if i < 0 {
			i = 0
		}
		if i >= len(all) {
			i = len(all) - 1
		}
		return ms(all[i])
	}
	var sum float64
	for _, d := range all {
		sum += ms(d)
	}
	mean := sum / float64(len(all))
	var sq float64
	for _, d := range all {
		sq += (ms(d) - mean) * (ms(d) - mean)
	}
	r.Mean, r.Stddev = mean, math.Sqrt(sq/float64(len(all)))
	r.P50, r.P90, r.P99, r.P999, r.Max = pct(50), pct(90), pct(99), pct(99.9), ms(all[len(all)-1])
	return r
}
