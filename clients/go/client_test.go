package gateway

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// fast retries so the unit tests do not wait out real backoffs.
var fastRetry = WithRetry(RetryPolicy{MaxAttempts: 3, InitialBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond})

func server(t *testing.T, h http.HandlerFunc) *Client {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	c, err := New(s.URL, fastRetry, WithToken("secret"))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

const ndjsonHead = `{"schema":[{"name":"id","type":"bigint","nullable":false},{"name":"d","type":"decimal(38,18)","nullable":true},{"name":"s","type":"struct<a:int,tags:array<string>>","nullable":true}]}` + "\n"

func TestRowsStreamAndScanByType(t *testing.T) {
	var body map[string]any
	c := server(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/sql" || r.Header.Get("Accept") != "application/x-ndjson" || r.Header.Get("Authorization") != "Bearer secret" {
			t.Errorf("request %s %v", r.URL, r.Header)
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		w.Header().Set("X-Spark-Operation-Id", "op-1")
		io.WriteString(w, ndjsonHead+
			`[9007199254740993,"1.500000000000000000",{"a":1,"tags":["x",null]}]`+"\n"+
			`[-1,null,null]`+"\n"+
			`{"rowCount":2,"truncated":true}`+"\n")
	})
	rows, err := c.Query(context.Background(), "SELECT :a, ?", Named{"a": int64(5), "b": Decimal("-0.10"), "t": time.Date(2024, 1, 2, 3, 4, 5, 6000, time.FixedZone("X", 3600))})
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	params, _ := json.Marshal(body["parameters"])
	if string(params) != `{"a":{"type":"BIGINT","value":5},"b":{"type":"DECIMAL(2,2)","value":"-0.10"},"t":{"type":"TIMESTAMP","value":"2024-01-02T02:04:05.000006Z"}}` {
		t.Errorf("parameters %s", params)
	}
	if rows.OperationID() != "op-1" || len(rows.Columns()) != 3 {
		t.Errorf("op %q columns %v", rows.OperationID(), rows.Columns())
	}
	var id int64
	var d big.Rat
	var ds string
	var s Struct
	if !rows.Next() {
		t.Fatal(rows.Err())
	}
	if err := rows.Scan(&id, &d, &s); err != nil {
		t.Fatal(err)
	}
	if err := rows.Scan(nil, &ds, nil); err != nil || ds != "1.500000000000000000" {
		t.Errorf("decimal as text %q %v", ds, err)
	}
	if id != 9007199254740993 || d.Cmp(big.NewRat(3, 2)) != 0 || fmt.Sprint(s) != "[{a 1} {tags [x <nil>]}]" {
		t.Errorf("row 1: %d %v %v", id, d.String(), s)
	}
	if !rows.Next() {
		t.Fatal(rows.Err())
	}
	// NULL: a plain destination is an error, a pointer to a pointer or a sql.Null type gets nil.
	if err := rows.Scan(&id, &d, &s); err == nil || !strings.Contains(err.Error(), "NULL") {
		t.Errorf("NULL into big.Rat: %v", err)
	}
	var dp *big.Rat
	var ns sql.NullString
	var any any
	if err := rows.Scan(&id, &dp, &any); err != nil || dp != nil || any != nil || id != -1 {
		t.Errorf("row 2: %v %v %v %v", id, dp, any, err)
	}
	if err := rows.Scan(&ns, nil, nil); err != nil || !ns.Valid {
		t.Errorf("sql.NullString from bigint: %+v %v", ns, err)
	}
	if rows.Next() || rows.Err() != nil || !rows.Truncated() || rows.RowCount() != 2 {
		t.Errorf("end: err %v truncated %v count %d", rows.Err(), rows.Truncated(), rows.RowCount())
	}
}

func TestRowsErrorLineAndCutStream(t *testing.T) {
	cut := false
	c := server(t, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, ndjsonHead+`[1,null,null]`+"\n")
		if !cut {
			io.WriteString(w, `{"error":{"type":"/problems/spark-error","title":"Spark rejected the statement","status":400,"errorClass":"DIVIDE_BY_ZERO","sqlState":"22012"}}`+"\n")
		}
	})
	rows, err := c.Query(context.Background(), "SELECT 1")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		n++
	}
	var p *Problem
	if n != 1 || !errors.As(rows.Err(), &p) || p.SQLState != "22012" || p.Status != 400 {
		t.Errorf("%d rows, err %v", n, rows.Err())
	}
	// A response without its last line was cut: that is an error, not a short result.
	cut = true
	rows, err = c.Query(context.Background(), "SELECT 1")
	if err == nil {
		for rows.Next() {
		}
		err = rows.Err()
	}
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("cut stream: %v", err)
	}
}

func TestProblemStatusWithErrorsAs(t *testing.T) {
	c := server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(400)
		io.WriteString(w, `{"type":"/problems/invalid-request","title":"Invalid request","status":400,"detail":"unknown join type","instance":"/v1/dataframe","pointer":"/ops/1/join/how","requestId":"r1"}`)
	})
	_, err := c.DataFrame(context.Background(), Range(1))
	var p *Problem
	if !errors.As(err, &p) || p.Pointer != "/ops/1/join/how" || p.Type != ProblemInvalidRequest || p.RequestID != "r1" {
		t.Fatalf("%v", err)
	}
	if !strings.Contains(err.Error(), "400 Invalid request: unknown join type (at /ops/1/join/how)") {
		t.Errorf("message %q", err.Error())
	}
	// Not problem+json (a proxy's page): still a Problem with the status.
	c = server(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(502)
		io.WriteString(w, "<html>bad gateway</html>")
	})
	_, err = c.Query(context.Background(), "SELECT 1")
	if !errors.As(err, &p) || p.Status != 502 || !strings.Contains(p.Detail, "bad gateway") {
		t.Errorf("%v", err)
	}
}

func TestRetryHonoursRetryAfterAndSparesSubmitsWithoutKey(t *testing.T) {
	var calls atomic.Int32
	c := server(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) < 3 {
			w.Header().Set("Retry-After", "0.001")
			w.WriteHeader(503)
			io.WriteString(w, `{"type":"/problems/pool-exhausted","title":"No free session","status":503}`)
			return
		}
		if r.URL.Path == "/v1/statements" {
			io.WriteString(w, `{"statementId":"s1","state":"SUCCEEDED","createdAt":"2026-11-25T11:40:02.118Z"}`)
			return
		}
		io.WriteString(w, ndjsonHead+`{"rowCount":0,"truncated":false}`+"\n")
	})
	rows, err := c.Query(context.Background(), "SELECT 1")
	if err != nil || calls.Load() != 3 {
		t.Fatalf("query after two 503s: %v, %d calls", err, calls.Load())
	}
	rows.Close()

	calls.Store(0)
	_, err = c.Submit(context.Background(), Submission{SQL: "INSERT INTO t VALUES (1)"})
	var p *Problem
	if !errors.As(err, &p) || p.Status != 503 || p.RetryAfter != time.Millisecond || calls.Load() != 1 {
		t.Fatalf("submit without key: %v after %d calls", err, calls.Load())
	}
	calls.Store(0)
	st, err := c.Submit(context.Background(), Submission{SQL: "INSERT INTO t VALUES (1)", IdempotencyKey: "k1"})
	if err != nil || st.ID != "s1" || calls.Load() != 3 {
		t.Fatalf("submit with key: %v, %v after %d calls", st, err, calls.Load())
	}
	// Out of attempts: the last problem is returned.
	calls.Store(-10)
	_, err = c.Query(context.Background(), "SELECT 1")
	if !errors.As(err, &p) || p.Type != ProblemPoolExhausted || calls.Load() != -7 {
		t.Fatalf("gave up with %v after %d calls", err, calls.Load()+10)
	}
}

func TestRetryPolicyDelays(t *testing.T) {
	p := RetryPolicy{InitialBackoff: 100 * time.Millisecond, MaxBackoff: time.Second}.normalized()
	for attempt, max := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 4: 800 * time.Millisecond, 10: time.Second} {
		if d := p.delay(attempt, 0); d < max/2 || d > max {
			t.Errorf("attempt %d: %v not in [%v, %v]", attempt, d, max/2, max)
		}
	}
	if d := p.delay(1, 5*time.Second); d != time.Second {
		t.Errorf("Retry-After capped: %v", d)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if d := retryAfter("Thu, 01 Jan 2026 00:00:03 GMT", now); d != 3*time.Second {
		t.Errorf("HTTP-date: %v", d)
	}
	if retryAfter("soon", now) != 0 || retryAfter("2", now) != 2*time.Second {
		t.Error("Retry-After parsing")
	}
}

func TestCancelClosesTheResponse(t *testing.T) {
	disconnected := make(chan struct{})
	c := server(t, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, ndjsonHead+`[1,null,null]`+"\n")
		w.(http.Flusher).Flush()
		<-r.Context().Done() // the gateway sees the disconnect the same way, and interrupts Spark
		close(disconnected)
	})
	ctx, cancel := context.WithCancel(context.Background())
	rows, err := c.Query(ctx, "SELECT 1")
	if err != nil {
		t.Fatal(err)
	}
	if !rows.Next() {
		t.Fatal(rows.Err())
	}
	cancel()
	if rows.Next() || !errors.Is(rows.Err(), context.Canceled) {
		t.Errorf("after cancel: %v", rows.Err())
	}
	select {
	case <-disconnected:
	case <-time.After(10 * time.Second):
		t.Fatal("the server never saw the client go")
	}
}

func TestEventsAndWait(t *testing.T) {
	c := server(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/statements/s%201/events" && r.URL.Path != "/v1/statements/s 1/events" {
			t.Errorf("path %s", r.URL.Path)
		}
		io.WriteString(w, "event: state\nid: 1\ndata: {\"statementId\":\"s 1\",\"state\":\"RUNNING\"}\n\n"+
			": keep-alive\n\n"+
			"event: progress\nid: 2\ndata: {\"statementId\":\"s 1\",\"state\":\"RUNNING\",\"progress\":{\"totalTasks\":4,\"completedTasks\":2}}\n\n"+
			"event: state\nid: 3\ndata: {\"statementId\":\"s 1\",\"state\":\"SUCCEEDED\",\n"+
			"data: \"result\":{\"rowCount\":1,\"complete\":true,\"chunks\":[{\"index\":0,\"rowCount\":1}]}}\n\n")
	})
	ev, err := c.Events(context.Background(), "s 1")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for ev.Next() {
		names = append(names, ev.Name()+ev.ID()+string(ev.Statement().State))
	}
	if ev.Err() != nil || strings.Join(names, ",") != "state1RUNNING,progress2RUNNING,state3SUCCEEDED" {
		t.Errorf("events %v %v", names, ev.Err())
	}
	st, err := c.Wait(context.Background(), "s 1", WaitOptions{Events: true})
	if err != nil || st.State != Succeeded || st.Result.Chunks[0].RowCount != 1 {
		t.Errorf("wait %+v %v", st, err)
	}
}

func TestWaitPollsAndChunksAwaitSpooling(t *testing.T) {
	var gets, chunkCalls atomic.Int32
	c := server(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v1/statements/s1":
			if gets.Add(1) < 3 {
				io.WriteString(w, `{"statementId":"s1","state":"RUNNING","result":{"complete":false,"chunks":[{"index":0,"rowCount":1}]}}`)
			} else {
				io.WriteString(w, `{"statementId":"s1","state":"SUCCEEDED","result":{"complete":true,"chunks":[{"index":0,"rowCount":1},{"index":1,"rowOffset":1,"rowCount":1}]}}`)
			}
		case "/v1/statements/s1/result/chunks/0", "/v1/statements/s1/result/chunks/1":
			if chunkCalls.Add(1) == 1 {
				w.Header().Set("Retry-After", "0.001")
				w.WriteHeader(409)
				io.WriteString(w, `{"type":"/problems/result-unavailable","title":"Result not available","status":409}`)
				return
			}
			io.WriteString(w, `{"schema":[{"name":"id","type":"bigint","nullable":false}]}`+"\n[7]\n"+`{"rowCount":1,"truncated":false}`+"\n")
		default:
			t.Errorf("unexpected %s", r.URL.Path)
		}
	})
	st, err := c.Wait(context.Background(), "s1", WaitOptions{PollInitial: time.Millisecond})
	if err != nil || st.State != Succeeded || gets.Load() != 3 {
		t.Fatalf("wait %+v %v after %d polls", st, err, gets.Load())
	}
	gets.Store(0)
	it := c.Chunks(&Statement{ID: "s1", State: Running, Result: &Result{Chunks: []ChunkInfo{{Index: 0, RowCount: 1}}}})
	var ids []int64
	for it.Next(context.Background()) {
		rows, err := it.Rows(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			_ = rows.Scan(&id)
			ids = append(ids, id)
		}
		rows.Close()
	}
	if it.Err() != nil || len(ids) != 2 || it.Statement().State != Succeeded {
		t.Errorf("chunks: %v %v", ids, it.Err())
	}
}

func TestNewRejectsBadURLs(t *testing.T) {
	for _, u := range []string{"localhost:8080", "ftp://x", "http://"} {
		if _, err := New(u); err == nil {
			t.Errorf("%q accepted", u)
		}
	}
}
