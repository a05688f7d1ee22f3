package gateway

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Client talks to one Spark Connect Gateway. It is safe for concurrent use.
type Client struct {
	base      *url.URL
	token     string
	http      *http.Client
	retry     RetryPolicy
	userAgent string
}

// Option configures a Client.
type Option func(*Client)

// WithToken sends "Authorization: Bearer <token>" on every request (for a gateway behind an
// authenticating proxy; the gateway itself does not check tokens).
func WithToken(token string) Option { return func(c *Client) { c.token = token } }

// WithHTTPClient sets the http.Client (timeouts, transport, TLS). Prefer context deadlines to
// http.Client.Timeout, which also cuts long result streams.
func WithHTTPClient(h *http.Client) Option { return func(c *Client) { c.http = h } }

// WithRetry sets the retry policy (DefaultRetryPolicy otherwise; NoRetry disables retries).
func WithRetry(p RetryPolicy) Option { return func(c *Client) { c.retry = p.normalized() } }

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option { return func(c *Client) { c.userAgent = ua } }

// New makes a client for the gateway at baseURL, e.g. "http://localhost:8080".
func New(baseURL string, opts ...Option) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil {
		return nil, fmt.Errorf("gateway: base URL: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("gateway: base URL %q needs http:// or https:// and a host", baseURL)
	}
	c := &Client{base: u, http: http.DefaultClient, retry: DefaultRetryPolicy, userAgent: "gateway-go/0.1"}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// retryMode says when a request may be sent again.
type retryMode int

const (
	// retrySafe: reads and deletes; also after a connection failure.
	retrySafe retryMode = iota
	// retryRefused: only on 429/503, which the gateway answers before running anything
	// (no free session, Spark unreachable); never after a connection failure, since a
	// statement that reached Spark may have run.
	retryRefused
	// retryNever: a submit without Idempotency-Key.
	retryNever
)

type call struct {
	method      string
	path        string
	query       url.Values
	body        []byte
	contentType string
	accept      string
	header      http.Header
	retry       retryMode
}

// send runs the call with the retry policy and returns a 2xx response; any other status is a *Problem.
func (c *Client) send(ctx context.Context, k call) (*http.Response, error) {
	u := *c.base
	u.Path = c.base.Path + k.path
	if k.query != nil {
		u.RawQuery = k.query.Encode()
	}
	for attempt := 1; ; attempt++ {
		var body io.Reader
		if k.body != nil {
			body = bytes.NewReader(k.body)
		}
		req, err := http.NewRequestWithContext(ctx, k.method, u.String(), body)
		if err != nil {
			return nil, err
		}
		for name, values := range k.header {
			req.Header[name] = values
		}
		if k.contentType != "" {
			req.Header.Set("Content-Type", k.contentType)
		}
		if k.accept != "" {
			req.Header.Set("Accept", k.accept)
		}
		if c.token != "" {
			req.Header.Set("Authorization", "Bearer "+c.token)
		}
		req.Header.Set("User-Agent", c.userAgent)
		resp, err := c.http.Do(req)
		last := attempt >= c.retry.MaxAttempts
		if err != nil {
			if ctx.Err() != nil || last || k.retry != retrySafe {
				return nil, err
			}
			if err := sleep(ctx, c.retry.delay(attempt, 0)); err != nil {
				return nil, err
			}
			continue
		}
		if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			return resp, nil
		}
		p := problemFrom(resp)
		retriable := resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable
		if !retriable || last || k.retry == retryNever {
			return nil, p
		}
		if err := sleep(ctx, c.retry.delay(attempt, p.RetryAfter)); err != nil {
			return nil, err
		}
	}
}

// getJSON decodes a JSON response into out.
func (c *Client) doJSON(ctx context.Context, k call, out any) error {
	resp, err := c.send(ctx, k)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if out == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("gateway: decoding %s %s: %w", k.method, k.path, err)
	}
	return nil
}

// jsonBody encodes a request body; SQL keeps its '<', '>' and '&' as they are (no HTML escaping).
func jsonBody(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("gateway: encoding the request: %w", err)
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// Readiness is the gateway's readiness report (GET /q/health/ready).
type Readiness struct {
	Status string `json:"status"` // "UP" or "DOWN"
	Checks []struct {
		Name   string         `json:"name"`
		Status string         `json:"status"`
		Data   map[string]any `json:"data"`
	} `json:"checks"`
}

// Check returns the data of the check named name ("spark-connect": Spark version, pool state and
// endpoints), or nil if the report has none. Checks come in no fixed order: with a database
// configured, its connection check is listed too.
func (r *Readiness) Check(name string) map[string]any {
	for _, c := range r.Checks {
		if c.Name == name {
			return c.Data
		}
	}
	return nil
}

// Ready asks whether the gateway can reach Spark Connect. A DOWN gateway answers 503; Ready then
// returns the report and a *Problem (it does not retry).
func (c *Client) Ready(ctx context.Context) (*Readiness, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base.String()+"/q/health/ready", nil)
	if err != nil {
		return nil, err
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	r := &Readiness{}
	if err := json.NewDecoder(resp.Body).Decode(r); err != nil {
		return nil, fmt.Errorf("gateway: readiness: %w", err)
	}
	if resp.StatusCode != http.StatusOK || r.Status != "UP" {
		return r, &Problem{Type: ProblemSparkUnavailable, Title: "Gateway not ready", Status: resp.StatusCode, Detail: "readiness is " + r.Status}
	}
	return r, nil
}
