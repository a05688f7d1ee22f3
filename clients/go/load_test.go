package gateway_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"sync"
	"testing"
	"time"

	gateway "sparkgateway.dev/gateway-go"
)

// The load suite: N goroutines for a fixed time (GATEWAY_LOAD_DURATION, default 10s;
// GATEWAY_LOAD_WORKERS, default 8) run a mixed workload without retries. Every answer must be a
// success, 429 or 503 (load shedding); it prints QPS and latency percentiles.
func TestLoadMixedWorkload(t *testing.T) {
	c := live(t, gateway.WithRetry(gateway.NoRetry))
	duration := 10 * time.Second
	if s := os.Getenv("GATEWAY_LOAD_DURATION"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			t.Fatalf("GATEWAY_LOAD_DURATION: %v", err)
		}
		duration = d
	}
	workers := 8
	if s := os.Getenv("GATEWAY_LOAD_WORKERS"); s != "" {
		if _, err := fmt.Sscan(s, &workers); err != nil || workers < 1 {
			t.Fatalf("GATEWAY_LOAD_WORKERS=%q", s)
		}
	}
	drain := func(rows *gateway.Rows, err error) error {
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
		}
		return rows.Err()
	}
	work := []struct {
		name string
		run  func(ctx context.Context) error
	}{
		{"select1", func(ctx context.Context) error { return drain(c.Query(ctx, "SELECT 1")) }},
		{"range", func(ctx context.Context) error {
			return drain(c.Query(ctx, "SELECT id, CAST(id AS STRING) AS s FROM range(:n)", gateway.Named{"n": 5000}))
		}},
		{"dataframe", func(ctx context.Context) error {
			return drain(c.DataFrame(ctx, gateway.Range(1000).GroupBy("id % 7 AS k").Agg("count(*) AS n").OrderBy("k")))
		}},
		{"statement", func(ctx context.Context) error {
			st, err := c.Submit(ctx, gateway.Submission{SQL: "SELECT id FROM range(100)"})
			if err != nil {
				return err
			}
			defer c.Close(context.Background(), st.ID)
			if st, err = c.Wait(ctx, st.ID, gateway.WaitOptions{}); err != nil {
				return err
			}
			if st.State != gateway.Succeeded {
				return fmt.Errorf("statement %s: %v", st.State, st.Error)
			}
			return drain(c.ChunkRows(ctx, st.ID, 0))
		}},
	}
	type sample struct {
		latency time.Duration
		status  int
	}
	ctx, cancel := context.WithTimeout(context.Background(), duration+time.Minute)
	defer cancel()
	deadline := time.Now().Add(duration)
	results := make([][]sample, workers)
	failures := make(chan error, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; time.Now().Before(deadline); i++ {
				job := work[i%len(work)]
				start := time.Now()
				err := job.run(ctx)
				status := 200
				var p *gateway.Problem
				if errors.As(err, &p) && (p.Status == 429 || p.Status == 503) {
					status = p.Status
				} else if err != nil {
					failures <- fmt.Errorf("%s: %w", job.name, err)
					return
				}
				results[w] = append(results[w], sample{time.Since(start), status})
			}
		}(w)
	}
	wg.Wait()
	close(failures)
	for err := range failures {
		t.Errorf("not a 200, 429 or 503: %v", err)
	}
	var all []time.Duration
	statuses := map[int]int{}
	for _, r := range results {
		for _, s := range r {
			all = append(all, s.latency)
			statuses[s.status]++
		}
	}
	if statuses[200] == 0 {
		t.Fatalf("no request succeeded: %v", statuses)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	pct := func(p float64) time.Duration { return all[int(p*float64(len(all)-1))] }
	fmt.Printf("load: %d workers, %v: %d requests, %.1f QPS, p50 %v, p99 %v, statuses %v\n",
		workers, duration, len(all), float64(len(all))/duration.Seconds(), pct(0.50).Round(time.Millisecond), pct(0.99).Round(time.Millisecond), statuses)
}
