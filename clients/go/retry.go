package gateway

import (
	"context"
	"math/rand"
	"strconv"
	"strings"
	"time"
)

// RetryPolicy says how often and how long the client retries a request the gateway turned away
// with 429 (too many statements) or 503 (Spark unavailable, no free session), and requests whose
// connection failed before any answer.
//
// A Retry-After header is honoured (up to MaxBackoff); otherwise the wait doubles from
// InitialBackoff up to MaxBackoff, with jitter. A statement submit (POST /v1/statements) is never
// retried unless it carries an Idempotency-Key: without one, a retry could run it twice.
type RetryPolicy struct {
	// MaxAttempts counts the first try; 1 disables retries. 0 means the default (4).
	MaxAttempts    int
	InitialBackoff time.Duration // default 200ms
	MaxBackoff     time.Duration // default 10s; also caps a Retry-After
}

// DefaultRetryPolicy is used when New gets no WithRetry option.
var DefaultRetryPolicy = RetryPolicy{MaxAttempts: 4, InitialBackoff: 200 * time.Millisecond, MaxBackoff: 10 * time.Second}

// NoRetry makes every request a single attempt.
var NoRetry = RetryPolicy{MaxAttempts: 1}

func (p RetryPolicy) normalized() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = DefaultRetryPolicy.MaxAttempts
	}
	if p.InitialBackoff <= 0 {
		p.InitialBackoff = DefaultRetryPolicy.InitialBackoff
	}
	if p.MaxBackoff <= 0 {
		p.MaxBackoff = DefaultRetryPolicy.MaxBackoff
	}
	if p.MaxBackoff < p.InitialBackoff {
		p.MaxBackoff = p.InitialBackoff
	}
	return p
}

// delay is the wait before retry number attempt (1-based), given the server's Retry-After (0 if none).
func (p RetryPolicy) delay(attempt int, serverSays time.Duration) time.Duration {
	if serverSays > 0 {
		if serverSays > p.MaxBackoff {
			return p.MaxBackoff
		}
		return serverSays
	}
	d := p.InitialBackoff
	for i := 1; i < attempt && d < p.MaxBackoff; i++ {
		d *= 2
	}
	if d > p.MaxBackoff {
		d = p.MaxBackoff
	}
	// Equal jitter: half fixed, half random, so clients turned away together do not return together.
	half := d / 2
	return half + time.Duration(rand.Int63n(int64(half)+1))
}

// retryAfter parses a Retry-After header: delay-seconds or an HTTP-date. 0 if absent or invalid.
func retryAfter(header string, now time.Time) time.Duration {
	header = strings.TrimSpace(header)
	if header == "" {
		return 0
	}
	if secs, err := strconv.ParseFloat(header, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		return time.Duration(secs * float64(time.Second))
	}
	if t, err := time.Parse(time.RFC1123, header); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
