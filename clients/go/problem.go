package gateway

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Problem is an RFC 9457 problem detail as the gateway sends it (application/problem+json), on an
// error status or inside a result stream that failed after rows were sent. Use errors.As to get it:
//
//	var p *gateway.Problem
//	if errors.As(err, &p) && p.SQLState == "42P01" { ... }
type Problem struct {
	Type              string            `json:"type"`
	Title             string            `json:"title"`
	Status            int               `json:"status"`
	Detail            string            `json:"detail,omitempty"`
	Instance          string            `json:"instance,omitempty"`
	ErrorClass        string            `json:"errorClass,omitempty"`
	SQLState          string            `json:"sqlState,omitempty"`
	ErrorID           string            `json:"errorId,omitempty"`
	MessageParameters map[string]string `json:"messageParameters,omitempty"`
	// Pointer is the JSON Pointer (RFC 6901) to the offending request value, for request errors.
	Pointer   string `json:"pointer,omitempty"`
	RequestID string `json:"requestId,omitempty"`
	// RetryAfter is the response's Retry-After header (429, 503, a chunk not spooled yet), or 0.
	RetryAfter time.Duration `json:"-"`
}

func (p *Problem) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "gateway: %d %s", p.Status, p.Title)
	if p.ErrorClass != "" {
		fmt.Fprintf(&b, " [%s]", p.ErrorClass)
	}
	if p.Detail != "" {
		b.WriteString(": ")
		b.WriteString(p.Detail)
	}
	if p.Pointer != "" {
		fmt.Fprintf(&b, " (at %s)", p.Pointer)
	}
	return b.String()
}

// Problem types the gateway sends (docs/errors.md).
const (
	ProblemInvalidRequest       = "/problems/invalid-request"
	ProblemSparkError           = "/problems/spark-error"
	ProblemSparkConflict        = "/problems/spark-conflict"
	ProblemNotFound             = "/problems/not-found"
	ProblemResultUnavailable    = "/problems/result-unavailable"
	ProblemIdempotencyConflict  = "/problems/idempotency-conflict"
	ProblemTooManyStatements    = "/problems/too-many-statements"
	ProblemNotAcceptable        = "/problems/not-acceptable"
	ProblemPayloadTooLarge      = "/problems/payload-too-large"
	ProblemUnsupportedMediaType = "/problems/unsupported-media-type"
	ProblemSparkInternal        = "/problems/spark-internal"
	ProblemSparkUnavailable     = "/problems/spark-unavailable"
	ProblemPoolExhausted        = "/problems/pool-exhausted"
	ProblemSparkTimeout         = "/problems/spark-timeout"
	ProblemSpoolFull            = "/problems/spool-full"
)

// maxProblemBody bounds what is read of an error body (problems are small; a proxy page may not be).
const maxProblemBody = 64 << 10

// problemFrom reads an error response into a Problem and closes its body. A body that is not
// problem+json (a proxy's page) still gives a Problem with the status and the start of the text.
func problemFrom(resp *http.Response) *Problem {
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxProblemBody))
	p := &Problem{}
	if json.Unmarshal(data, p) != nil || p.Type == "" && p.Title == "" {
		p = &Problem{Type: "about:blank", Title: http.StatusText(resp.StatusCode), Detail: strings.TrimSpace(string(data))}
		if len(p.Detail) > 500 {
			p.Detail = p.Detail[:500] + "..."
		}
	}
	if p.Status == 0 {
		p.Status = resp.StatusCode
	}
	p.RetryAfter = retryAfter(resp.Header.Get("Retry-After"), time.Now())
	return p
}
