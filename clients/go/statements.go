package gateway

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// State is an asynchronous statement's state.
type State string

// Statement states (docs/statements.md).
const (
	Pending   State = "PENDING"
	Running   State = "RUNNING"
	Succeeded State = "SUCCEEDED"
	Failed    State = "FAILED"
	Canceled  State = "CANCELED"
	Closed    State = "CLOSED"
)

// Terminal reports whether the statement has ended.
func (s State) Terminal() bool { return s != Pending && s != Running }

// Statement is an asynchronous statement as the gateway reports it.
type Statement struct {
	ID          string    `json:"statementId"`
	State       State     `json:"state"`
	OperationID string    `json:"operationId,omitempty"`
	CreatedAt   time.Time `json:"createdAt"`
	ElapsedMs   int64     `json:"elapsedMs"`
	Progress    Progress  `json:"progress"`
	Schema      []Column  `json:"schema,omitempty"`
	Result      *Result   `json:"result,omitempty"`
	// Error says why it FAILED, or why the gateway CANCELED it.
	Error *Problem `json:"error,omitempty"`
}

// Progress is Spark's live progress of a statement.
type Progress struct {
	Stages []struct {
		StageID           int64 `json:"stageId"`
		NumTasks          int64 `json:"numTasks"`
		NumCompletedTasks int64 `json:"numCompletedTasks"`
		InputBytesRead    int64 `json:"inputBytesRead"`
		Done              bool  `json:"done"`
	} `json:"stages"`
	TotalTasks     int64 `json:"totalTasks"`
	CompletedTasks int64 `json:"completedTasks"`
	InflightTasks  int64 `json:"inflightTasks"`
	InputBytesRead int64 `json:"inputBytesRead"`
}

// Result describes a statement's spooled result.
type Result struct {
	RowCount  int64       `json:"rowCount"`
	Truncated bool        `json:"truncated"`
	ByteCount int64       `json:"byteCount"`
	Complete  bool        `json:"complete"`
	Chunks    []ChunkInfo `json:"chunks"`
	// Inline is chunk 0 in the JSON format, on submit responses of small results.
	Inline json.RawMessage `json:"inline,omitempty"`
}

// ChunkInfo is one spooled result chunk.
type ChunkInfo struct {
	Index     int   `json:"index"`
	RowOffset int64 `json:"rowOffset"`
	RowCount  int64 `json:"rowCount"`
	ByteCount int64 `json:"byteCount"`
}

// NoWait as a Submission's WaitTimeout returns at once (the gateway's waitTimeout 0).
const NoWait time.Duration = -1

// Submission is a statement for POST /v1/statements: SQL (with Params and Limit) or a DataFrame spec.
type Submission struct {
	SQL       string
	Params    []any
	Limit     int64
	DataFrame *Spec
	// WaitTimeout is how long the submit waits for the end: 0 is the gateway's default (10 s),
	// NoWait returns at once.
	WaitTimeout time.Duration
	// CancelOnWaitTimeout interrupts the statement if it has not ended within WaitTimeout.
	CancelOnWaitTimeout bool
	// IdempotencyKey makes the submit safe to repeat: the same key returns the same statement.
	// Only a submit with a key is retried on 429/503 or a connection failure.
	IdempotencyKey string
}

// Submit starts an asynchronous statement and waits up to WaitTimeout for it to end.
func (c *Client) Submit(ctx context.Context, s Submission) (*Statement, error) {
	body := map[string]any{}
	if s.DataFrame != nil {
		body["dataframe"] = s.DataFrame
	} else {
		b, err := Request{SQL: s.SQL, Params: s.Params, Limit: s.Limit}.body()
		if err != nil {
			return nil, err
		}
		body["sql"] = b.SQL
		if b.Parameters != nil {
			body["parameters"] = b.Parameters
		}
		if b.Limit != nil {
			body["limit"] = *b.Limit
		}
	}
	switch {
	case s.WaitTimeout == NoWait:
		body["waitTimeout"] = 0
	case s.WaitTimeout > 0:
		body["waitTimeout"] = s.WaitTimeout.Seconds()
	}
	if s.CancelOnWaitTimeout {
		body["onWaitTimeout"] = "CANCEL"
	}
	data, err := jsonBody(body)
	if err != nil {
		return nil, err
	}
	k := call{method: http.MethodPost, path: "/v1/statements", body: data, contentType: "application/json", retry: retryNever}
	if s.IdempotencyKey != "" {
		k.header = http.Header{"Idempotency-Key": {s.IdempotencyKey}}
		k.retry = retrySafe
	}
	st := &Statement{}
	return st, c.doJSON(ctx, k, st)
}

func statementPath(id string) string { return "/v1/statements/" + url.PathEscape(id) }

// Get returns a statement's current state.
func (c *Client) Get(ctx context.Context, id string) (*Statement, error) {
	st := &Statement{}
	return st, c.doJSON(ctx, call{method: http.MethodGet, path: statementPath(id), retry: retrySafe}, st)
}

// Cancel interrupts a running statement (POST .../cancel); a finished one is left alone.
func (c *Client) Cancel(ctx context.Context, id string) (*Statement, error) {
	st := &Statement{}
	return st, c.doJSON(ctx, call{method: http.MethodPost, path: statementPath(id) + "/cancel", retry: retrySafe}, st)
}

// Close cancels a running statement or deletes a finished one's result (DELETE).
func (c *Client) Close(ctx context.Context, id string) (*Statement, error) {
	st := &Statement{}
	return st, c.doJSON(ctx, call{method: http.MethodDelete, path: statementPath(id), retry: retrySafe}, st)
}

// WaitOptions tunes Wait.
type WaitOptions struct {
	// Events listens to the statement's Server-Sent Events instead of polling.
	Events bool
	// PollInitial and PollMax bound the polling backoff (defaults 100ms and 2s).
	PollInitial, PollMax time.Duration
}

// Wait returns the statement once it has ended (SUCCEEDED, FAILED, CANCELED, CLOSED); it does not
// turn FAILED into an error: look at State and Error. Ending ctx stops waiting, not the statement.
func (c *Client) Wait(ctx context.Context, id string, opts WaitOptions) (*Statement, error) {
	if opts.Events {
		ev, err := c.Events(ctx, id)
		if err != nil {
			return nil, err
		}
		defer ev.Close()
		var last *Statement
		for ev.Next() {
			last = ev.Statement()
		}
		if ev.Err() != nil {
			return nil, ev.Err()
		}
		if last == nil || !last.State.Terminal() {
			return c.Get(ctx, id) // the stream ended early (a proxy cut it): ask directly
		}
		return last, nil
	}
	initial, max := opts.PollInitial, opts.PollMax
	if initial <= 0 {
		initial = 100 * time.Millisecond
	}
	if max <= 0 {
		max = 2 * time.Second
	}
	for delay := initial; ; delay *= 2 {
		st, err := c.Get(ctx, id)
		if err != nil || st.State.Terminal() {
			return st, err
		}
		if delay > max {
			delay = max
		}
		if err := sleep(ctx, delay); err != nil {
			return nil, err
		}
	}
}

// Events reads a statement's Server-Sent Events (GET .../events) until it ends:
//
//	ev, err := c.Events(ctx, id)
//	defer ev.Close()
//	for ev.Next() { fmt.Println(ev.Name(), ev.Statement().Progress.CompletedTasks) }
//	err = ev.Err()
type EventStream struct {
	body io.ReadCloser
	r    *bufio.Reader
	ctx  context.Context
	name string
	id   string
	st   *Statement
	err  error
	done bool
}

// Events opens the statement's event stream.
func (c *Client) Events(ctx context.Context, id string) (*EventStream, error) {
	resp, err := c.send(ctx, call{method: http.MethodGet, path: statementPath(id) + "/events",
		accept: "text/event-stream", retry: retrySafe})
	if err != nil {
		return nil, err
	}
	return &EventStream{body: resp.Body, r: bufio.NewReader(resp.Body), ctx: ctx}, nil
}

// Next reads the next event; false at the end of the stream or on an error.
func (e *EventStream) Next() bool {
	if e.done {
		return false
	}
	var name, id string
	var data strings.Builder
	for {
		line, err := e.r.ReadString('\n')
		if err != nil {
			e.done = true
			e.body.Close()
			if err != io.EOF || data.Len() > 0 {
				if e.ctx.Err() != nil {
					err = e.ctx.Err()
				}
				e.err = fmt.Errorf("gateway: event stream: %w", err)
			}
			return false
		}
		line = strings.TrimRight(line, "\r\n")
		switch {
		case line == "":
			if data.Len() == 0 {
				continue // the end of a comment (keep-alive) block
			}
			st := &Statement{}
			if err := json.Unmarshal([]byte(data.String()), st); err != nil {
				e.err, e.done = fmt.Errorf("gateway: event data: %w", err), true
				e.body.Close()
				return false
			}
			e.name, e.id, e.st = name, id, st
			return true
		case strings.HasPrefix(line, ":"):
			// comment
		default:
			field, value, _ := strings.Cut(line, ":")
			value = strings.TrimPrefix(value, " ")
			switch field {
			case "event":
				name = value
			case "id":
				id = value
			case "data":
				if data.Len() > 0 {
					data.WriteByte('\n')
				}
				data.WriteString(value)
			}
		}
	}
}

// Name is the event's name: "state" (the state changed) or "progress".
func (e *EventStream) Name() string { return e.name }

// ID is the event's id (the statement's version).
func (e *EventStream) ID() string { return e.id }

// Statement is the statement as the event carries it.
func (e *EventStream) Statement() *Statement { return e.st }

// Err is the error that ended the stream, if any (a clean end after the final state is none).
func (e *EventStream) Err() error { return e.err }

// Close stops listening.
func (e *EventStream) Close() error { e.done = true; return e.body.Close() }

// Chunk fetches result chunk index in a format (GET .../result/chunks/{index}). A chunk not
// spooled yet (409 with Retry-After) is awaited.
func (c *Client) Chunk(ctx context.Context, id string, index int, format Format) (*Body, error) {
	path := statementPath(id) + "/result/chunks/" + strconv.Itoa(index)
	for {
		resp, err := c.send(ctx, call{method: http.MethodGet, path: path, accept: string(format), retry: retrySafe})
		if p, ok := err.(*Problem); ok && p.Status == http.StatusConflict && p.RetryAfter > 0 {
			if err := sleep(ctx, p.RetryAfter); err != nil {
				return nil, err
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		return &Body{ReadCloser: resp.Body, ContentType: resp.Header.Get("Content-Type")}, nil
	}
}

// ChunkRows fetches a chunk as NDJSON and streams its rows.
func (c *Client) ChunkRows(ctx context.Context, id string, index int) (*Rows, error) {
	b, err := c.Chunk(ctx, id, index, NDJSON)
	if err != nil {
		return nil, err
	}
	return newRows(ctx, b.ReadCloser, "")
}

// ChunkIterator walks a statement's result chunks in order, also while it still runs: Next waits
// for the next chunk to be spooled (polling the statement) until the result is complete.
//
//	it := c.Chunks(st)
//	for it.Next(ctx) { rows, err := it.Rows(ctx); ... }
//	err := it.Err()   // a FAILED or CANCELED statement is a *Problem here
type ChunkIterator struct {
	c     *Client
	st    *Statement
	next  int
	cur   ChunkInfo
	err   error
	delay time.Duration
}

// Chunks iterates over the chunks of a submitted statement.
func (c *Client) Chunks(st *Statement) *ChunkIterator {
	return &ChunkIterator{c: c, st: st, delay: 50 * time.Millisecond}
}

// Next moves to the next chunk; false when the result is complete or on an error.
func (it *ChunkIterator) Next(ctx context.Context) bool {
	for it.err == nil {
		if r := it.st.Result; r != nil && it.next < len(r.Chunks) {
			it.cur = r.Chunks[it.next]
			it.next++
			return true
		}
		switch {
		case it.st.State == Failed || it.st.State == Canceled:
			if it.st.Error != nil {
				it.err = it.st.Error
			} else {
				it.err = &Problem{Type: ProblemResultUnavailable, Title: "Statement " + string(it.st.State), Status: http.StatusConflict}
			}
			return false
		case it.st.State == Closed:
			it.err = &Problem{Type: ProblemResultUnavailable, Title: "Statement CLOSED", Status: http.StatusConflict}
			return false
		case it.st.Result != nil && it.st.Result.Complete, it.st.State == Succeeded:
			return false
		}
		if err := sleep(ctx, it.delay); err != nil {
			it.err = err
			return false
		}
		if it.delay < time.Second {
			it.delay *= 2
		}
		st, err := it.c.Get(ctx, it.st.ID)
		if err != nil {
			it.err = err
			return false
		}
		it.st = st
	}
	return false
}

// Info describes the current chunk.
func (it *ChunkIterator) Info() ChunkInfo { return it.cur }

// Open fetches the current chunk in a format.
func (it *ChunkIterator) Open(ctx context.Context, format Format) (*Body, error) {
	return it.c.Chunk(ctx, it.st.ID, it.cur.Index, format)
}

// Rows streams the current chunk's rows.
func (it *ChunkIterator) Rows(ctx context.Context) (*Rows, error) {
	return it.c.ChunkRows(ctx, it.st.ID, it.cur.Index)
}

// Statement is the statement as last seen.
func (it *ChunkIterator) Statement() *Statement { return it.st }

// Err is the error that ended iteration, if any.
func (it *ChunkIterator) Err() error { return it.err }
