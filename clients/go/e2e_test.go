package gateway_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	gateway "sparkgateway.dev/gateway-go"
)

// The e2e suite: every endpoint and format against a real gateway and Spark (GATEWAY_URL).

func timeout(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// all reads every row as values.
func all(t *testing.T) func(*gateway.Rows, error) [][]any {
	return func(rows *gateway.Rows, err error) [][]any { t.Helper(); return collect(t, rows, err) }
}

func collect(t *testing.T, rows *gateway.Rows, err error) [][]any {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out [][]any
	for rows.Next() {
		v, err := rows.Values()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func problem(t *testing.T, err error, status int, typ string) *gateway.Problem {
	t.Helper()
	var p *gateway.Problem
	if !errors.As(err, &p) {
		t.Fatalf("want a *Problem %d %s, got %v", status, typ, err)
	}
	if p.Status != status || p.Type != typ {
		t.Fatalf("want %d %s, got %d %s: %s", status, typ, p.Status, p.Type, p.Detail)
	}
	return p
}

func TestE2ETypesRoundTripExactly(t *testing.T) {
	c := live(t)
	ctx := timeout(t, time.Minute)
	big53 := int64(1)<<53 + 1
	dec := "12345678901234567890.123456789012345678" // DECIMAL(38,18)
	ts := time.Date(2024, 1, 31, 12, 34, 56, 123456000, time.UTC)
	old := time.Date(1969, 12, 31, 23, 59, 59, 999999000, time.UTC)
	bin := []byte{0, 1, 2, 0xfe, 0xff}
	rows, err := c.Query(ctx, `SELECT :big AS big, :dec AS dec, :ts AS ts, :old AS old, :day AS day, :bin AS bin,
		CAST(NULL AS BIGINT) AS nothing, :text AS text, CAST('NaN' AS DOUBLE) AS nan, 0.1D AS tenth,
		TIMESTAMP_NTZ'2024-01-01 00:00:00.5' AS ntz,
		named_struct('a', CAST(NULL AS INT), 'arr', array(1, NULL, 3), 'm', map('k', named_struct('x', 1.5D)),
		             'd', CAST('-0.000000000000000001' AS DECIMAL(38,18))) AS nested,
		array(map('x', CAST(NULL AS STRING))) AS maps`,
		gateway.Named{"big": big53, "dec": gateway.Decimal(dec), "ts": ts, "old": old,
			"day": gateway.Date(1815, time.December, 10), "bin": bin, "text": "héllo \"quoted\"\n"})
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	wantTypes := []string{"bigint", "decimal(38,18)", "timestamp", "timestamp", "date", "binary", "bigint", "string", "double", "double", "timestamp_ntz"}
	for i, w := range wantTypes {
		if got := rows.Columns()[i].Type; got != w {
			t.Errorf("column %d type %s, want %s", i, got, w)
		}
	}
	if !rows.Next() {
		t.Fatal(rows.Err())
	}
	var (
		gotBig                        int64
		gotDec                        big.Rat
		gotDecText                    string
		gotTS, gotOld, gotDay, gotNTZ time.Time
		gotBin                        []byte
		nothing                       *int64
		text                          string
		nan, tenth                    float64
		nested                        gateway.Struct
		maps                          []any
	)
	if err := rows.Scan(&gotBig, &gotDec, &gotTS, &gotOld, &gotDay, &gotBin, &nothing, &text, &nan, &tenth, &gotNTZ, &nested, &maps); err != nil {
		t.Fatal(err)
	}
	if gotBig != big53 {
		t.Errorf("bigint %d, want %d", gotBig, big53)
	}
	want, _ := new(big.Rat).SetString(dec)
	if gotDec.Cmp(want) != 0 {
		t.Errorf("decimal %s, want %s", gotDec.FloatString(18), dec)
	}
	if !gotTS.Equal(ts) || !gotOld.Equal(old) || gotTS.Location() != time.UTC {
		t.Errorf("timestamps %v %v, want %v %v", gotTS, gotOld, ts, old)
	}
	if !gotDay.Equal(time.Date(1815, 12, 10, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("date %v", gotDay)
	}
	if !gotNTZ.Equal(time.Date(2024, 1, 1, 0, 0, 0, 500000000, time.UTC)) {
		t.Errorf("timestamp_ntz %v", gotNTZ)
	}
	if !bytes.Equal(gotBin, bin) || nothing != nil || text != "héllo \"quoted\"\n" || !math.IsNaN(nan) || tenth != 0.1 {
		t.Errorf("binary %v, null %v, text %q, nan %v, tenth %v", gotBin, nothing, text, nan, tenth)
	}
	// The decimal again, as exact text.
	if err := rows.Scan(nil, &gotDecText, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil); err != nil || gotDecText != dec {
		t.Errorf("decimal text %q (%v)", gotDecText, err)
	}
	tiny, _ := new(big.Rat).SetString("-0.000000000000000001")
	wantNested := gateway.Struct{
		{Name: "a", Value: nil},
		{Name: "arr", Value: []any{int64(1), nil, int64(3)}},
		{Name: "m", Value: map[string]any{"k": gateway.Struct{{Name: "x", Value: 1.5}}}},
		{Name: "d", Value: tiny},
	}
	if !reflect.DeepEqual(nested, wantNested) {
		t.Errorf("nested %#v\nwant %#v", nested, wantNested)
	}
	if !reflect.DeepEqual(maps, []any{map[string]any{"x": nil}}) {
		t.Errorf("array of maps %#v", maps)
	}
	if rows.Next() || rows.Err() != nil {
		t.Fatalf("one row expected: %v", rows.Err())
	}
}

func TestE2EParametersNamedPositionalAndUnbound(t *testing.T) {
	c := live(t)
	ctx := timeout(t, time.Minute)
	got := all(t)(c.Query(ctx, "SELECT id FROM range(10) WHERE id >= :min AND id < :max ORDER BY id", gateway.Named{"min": 7, "max": int64(9)}))
	if !reflect.DeepEqual(got, [][]any{{int64(7)}, {int64(8)}}) {
		t.Errorf("named: %v", got)
	}
	got = all(t)(c.Query(ctx, "SELECT ? AS a, ? AS b, ? AS c, array_contains(?, 'y') AS d", "x", 2.5, true, []string{"x", "y"}))
	if !reflect.DeepEqual(got, [][]any{{"x", 2.5, true, true}}) {
		t.Errorf("positional: %v", got)
	}
	got = all(t)(c.Query(ctx, "SELECT :d * 2 AS d", gateway.Named{"d": big.NewRat(1, 8)}))
	if r, ok := got[0][0].(*big.Rat); !ok || r.Cmp(big.NewRat(1, 4)) != 0 {
		t.Errorf("rat parameter: %v", got)
	}
	_, err := c.Query(ctx, "SELECT :missing")
	p := problem(t, err, 400, gateway.ProblemSparkError)
	if p.ErrorClass == "" {
		t.Errorf("no errorClass: %+v", p)
	}
}

func TestE2EFormatsOfEveryQueryEndpoint(t *testing.T) {
	c := live(t)
	ctx := timeout(t, time.Minute)
	req := gateway.Request{SQL: "SELECT id, CAST(id AS STRING) AS s FROM range(3)"}
	spec := gateway.Range(3).WithColumn("s", "CAST(id AS STRING)")
	read := func(b *gateway.Body, err error) (string, []byte) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		data, err := io.ReadAll(b)
		if err != nil {
			t.Fatal(err)
		}
		return b.ContentType, data
	}
	for _, export := range []func(gateway.Format) (*gateway.Body, error){
		func(f gateway.Format) (*gateway.Body, error) { return c.Export(ctx, req, f) },
		func(f gateway.Format) (*gateway.Body, error) { return c.ExportDataFrame(ctx, spec, f) },
	} {
		ct, data := read(export(gateway.JSON))
		var res struct {
			Rows     [][]any
			RowCount int
		}
		if err := json.Unmarshal(data, &res); err != nil || res.RowCount != 3 || !strings.HasPrefix(ct, "application/json") {
			t.Errorf("json %s %s (%v)", ct, data, err)
		}
		ct, data = read(export(gateway.CSV))
		if string(data) != "id,s\r\n0,0\r\n1,1\r\n2,2\r\n" || !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("csv %s %q", ct, data)
		}
		ct, data = read(export(gateway.NDJSON))
		if lines := strings.Count(string(data), "\n"); lines != 5 || !strings.HasPrefix(ct, "application/x-ndjson") {
			t.Errorf("ndjson %s %q", ct, data)
		}
		ct, data = read(export(gateway.Arrow))
		// An Arrow IPC stream starts with the continuation marker of its schema message.
		if len(data) < 8 || !bytes.Equal(data[:4], []byte{0xff, 0xff, 0xff, 0xff}) || ct != string(gateway.Arrow) {
			t.Errorf("arrow %s %x", ct, data[:8])
		}
	}
	// /v1/plan runs what /v1/dataframe/plan produced.
	plan, err := c.DataFramePlan(ctx, spec.Filter("id > 0"))
	if err != nil {
		t.Fatal(err)
	}
	if cols, err := c.PlanSchema(ctx, plan); err != nil || len(cols) != 2 || cols[1].Name != "s" {
		t.Errorf("plan schema %+v %v", cols, err)
	}
	if text, err := c.ExplainPlan(ctx, plan, "simple"); err != nil || !strings.Contains(text, "Filter") {
		t.Errorf("explain plan %q %v", text, err)
	}
	got := all(t)(c.RunPlan(ctx, plan))
	if !reflect.DeepEqual(got, [][]any{{int64(1), "1"}, {int64(2), "2"}}) {
		t.Errorf("plan rows %v", got)
	}
}

func TestE2ESchemaExplainAndLimit(t *testing.T) {
	c := live(t)
	ctx := timeout(t, time.Minute)
	cols, err := c.Schema(ctx, gateway.Request{SQL: "SELECT id, CAST(1.5 AS DECIMAL(10,2)) AS d FROM range(1)"})
	if err != nil || len(cols) != 2 || cols[1].Type != "decimal(10,2)" {
		t.Errorf("schema %+v %v", cols, err)
	}
	cols, err = c.DataFrameSchema(ctx, gateway.Range(5).GroupBy("id % 2 AS k").Agg("count(*) AS n"))
	if err != nil || len(cols) != 2 || cols[1].Name != "n" || cols[1].Type != "bigint" {
		t.Errorf("dataframe schema %+v %v", cols, err)
	}
	plan, err := c.Explain(ctx, gateway.Request{SQL: "SELECT * FROM range(10) WHERE id > 3"}, "extended")
	if err != nil || !strings.Contains(plan, "Physical Plan") {
		t.Errorf("explain %q %v", plan, err)
	}
	plan, err = c.ExplainDataFrame(ctx, gateway.Range(10).Filter("id > 3"), "")
	if err != nil || !strings.Contains(plan, "Range") {
		t.Errorf("explain dataframe %q %v", plan, err)
	}
	rows, err := c.QueryRequest(ctx, gateway.Request{SQL: "SELECT * FROM range(100)", Limit: 5})
	got := collect(t, rows, err)
	if len(got) != 5 || !rows.Truncated() || rows.RowCount() != 5 {
		t.Errorf("limit: %d rows, truncated %v", len(got), rows.Truncated())
	}
}

func TestE2EDataFrameBuilder(t *testing.T) {
	c := live(t)
	ctx := timeout(t, time.Minute)
	people := gateway.Values("id INT, name STRING, age INT, dept_id INT",
		[]any{1, "Ada", 36, 10}, []any{2, "Brian", 41, 20}, []any{3, "Chen", nil, 10}, map[string]any{"id": 4, "name": "Dana", "age": 29})
	depts := gateway.Values("dept_id INT, dept STRING", []any{10, "Engineering"}, []any{20, "Sales"}, []any{30, "Legal"})
	got := all(t)(c.DataFrame(ctx, people.Alias("p").
		Join(depts.Alias("d"), "p.dept_id = d.dept_id", gateway.Left).
		Select("p.name", gateway.Col("d.dept").As("department")).
		OrderBy(gateway.Asc("name"))))
	want := [][]any{{"Ada", "Engineering"}, {"Brian", "Sales"}, {"Chen", "Engineering"}, {"Dana", nil}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("join: %v", got)
	}
	got = all(t)(c.DataFrame(ctx, people.GroupBy("dept_id").Agg("count(*) AS n", "max(age) AS oldest").OrderBy(gateway.Desc("dept_id").NullsLast())))
	if !reflect.DeepEqual(got, [][]any{{int64(20), int64(1), int64(41)}, {int64(10), int64(2), int64(36)}, {nil, int64(1), int64(29)}}) {
		t.Errorf("groupBy: %v", got)
	}
	got = all(t)(c.DataFrame(ctx, gateway.RangeOf(0, 10, 2, 2).Union(gateway.Range(2)).Except(gateway.Range(1)).
		WithColumns(map[string]string{"sq": "id * id"}).WithColumnRenamed("sq", "square").Drop("id").Distinct().OrderBy("square").Offset(1).Limit(2)))
	if !reflect.DeepEqual(got, [][]any{{int64(4)}, {int64(16)}}) { // {0,2,4,6,8} ∪ {0,1} − {0}, squared, skip 1, take 2
		t.Errorf("set operations: %v", got)
	}
	got = all(t)(c.DataFrame(ctx, gateway.SQL("SELECT * FROM range(:n)", gateway.Named{"n": 3}).
		JoinUsing(gateway.Range(2), []string{"id"}, gateway.Anti).UnionByName(gateway.Values("id BIGINT", []any{9}), false)))
	if !reflect.DeepEqual(got, [][]any{{int64(2)}, {int64(9)}}) {
		t.Errorf("sql source, anti join, unionByName: %v", got)
	}
	// An invalid spec names the offending value.
	_, err := c.DataFrame(ctx, gateway.Range(2).Join(gateway.Range(2), "id = id", gateway.JoinType("sideways")))
	if p := problem(t, err, 400, gateway.ProblemInvalidRequest); p.Pointer != "/ops/0/join/how" {
		t.Errorf("pointer %q", p.Pointer)
	}
}

func TestE2EErrorsAsProblems(t *testing.T) {
	c := live(t)
	ctx := timeout(t, time.Minute)
	_, err := c.Query(ctx, "SELEC 1")
	if p := problem(t, err, 400, gateway.ProblemSparkError); p.ErrorClass != "PARSE_SYNTAX_ERROR" || p.SQLState != "42601" {
		t.Errorf("syntax: %+v", p)
	}
	_, err = c.Query(ctx, "SELECT * FROM no_such_table")
	if p := problem(t, err, 400, gateway.ProblemSparkError); p.SQLState != "42P01" || p.Instance != "/v1/sql" {
		t.Errorf("missing table: %+v", p)
	}
	_, err = c.Get(ctx, "00000000-0000-0000-0000-000000000000")
	problem(t, err, 404, gateway.ProblemNotFound)

	// A failure after rows were sent ends the stream with an error line: Err returns it. The failing
	// row is in the last of ten partitions: Spark 4.0 drops partitions it has not sent yet once any
	// task fails, and with four partitions on two cores it sometimes failed before sending the first.
	rows, err := c.Query(ctx, "SELECT id, CASE WHEN id = 999999 THEN raise_error('boom') END AS x FROM range(0, 1000000, 1, 10)")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	p := problem(t, rows.Err(), 400, gateway.ProblemSparkError)
	if n == 0 || p.ErrorClass != "USER_RAISED_EXCEPTION" {
		t.Errorf("mid-stream: %d rows then %+v", n, p)
	}
}

// Cancelling the context closes the response, and the gateway interrupts Spark: a small query
// with tasks then runs at once instead of queueing behind hundreds of abandoned tasks.
func TestE2EContextCancelInterruptsSpark(t *testing.T) {
	c := live(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		// One job of 400 tasks of a few seconds each that finds no rows: minutes on the test
		// server's two cores. No shuffle: with one, Spark 4.0's adaptive execution may submit the
		// next stage's job after the interrupt cancelled the running ones. And a DataFrame spec is
		// one Spark operation, where SQL text is two (the gateway first runs it as a command).
		rows, err := c.DataFrame(ctx, gateway.RangeOf(0, 5_000_000_000, 1, 400).Filter("hash(id) = 42 AND hash(id) = 43"))
		if err == nil {
			for rows.Next() {
			}
			err = rows.Err()
			rows.Close()
		}
		done <- err
	}()
	awaitSessionInUse(t, c)
	// Nothing in the gateway's API shows that Spark has started the job, and a cancel that comes
	// before that is lost (a known gateway bug, TestE2EContextCancelKnownGatewayBugs): give
	// Spark the moment it needs to start its tasks.
	time.Sleep(1500 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("want context.Canceled, got %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the query did not return after cancel")
	}
	probeRunsAtOnce(t, c)
}

// awaitSessionInUse waits until the gateway has leased a session for a query (the suites run
// one test at a time, so it is the test's).
func awaitSessionInUse(t *testing.T, c *gateway.Client) {
	t.Helper()
	ctx := timeout(t, 20*time.Second)
	for {
		r, err := c.Ready(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if inUse, _ := r.Check("spark-connect")["poolInUse"].(float64); inUse >= 1 {
			return
		}
		if err := ctx.Err(); err != nil {
			t.Fatal("the query never leased a session")
		}
		time.Sleep(20 * time.Millisecond) // polling interval
	}
}

// probeRunsAtOnce fails if a small query with tasks cannot run promptly: it would queue behind
// an abandoned query's tasks if Spark were still running them.
func probeRunsAtOnce(t *testing.T, c *gateway.Client) {
	t.Helper()
	probe := timeout(t, time.Minute)
	before := time.Now()
	got := all(t)(c.Query(probe, "SELECT count(*) FROM range(0, 1000, 1, 4)"))
	if got[0][0] != int64(1000) {
		t.Fatalf("probe %v", got)
	}
	// An abandoned query still running would hold both cores for minutes; tasks being killed
	// take a few seconds on a busy machine.
	if d := time.Since(before); d > 20*time.Second {
		t.Fatalf("a small query took %v after the cancel: Spark still runs the abandoned one", d)
	}
	t.Logf("after the cancel a small query took %v", time.Since(before).Round(time.Millisecond))
}

// Two cancels the gateway loses today (so Spark runs the abandoned query to its end): one right
// after the gateway leased a session, before Spark started the job, and one while rows stream
// (the gateway does not notice the closed connection, writes on until Spark ends, and logs 200).
// Skipped unless GATEWAY_E2E_CANCEL_BUGS=1; see docs/go-client.md, Known limits.
func TestE2EContextCancelKnownGatewayBugs(t *testing.T) {
	c := live(t)
	if os.Getenv("GATEWAY_E2E_CANCEL_BUGS") != "1" {
		t.Skip("known gateway bugs: cancel before Spark starts the job, and mid-stream (set GATEWAY_E2E_CANCEL_BUGS=1 to run)")
	}
	t.Run("before Spark starts the job", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		done := make(chan error, 1)
		go func() {
			rows, err := c.DataFrame(ctx, gateway.RangeOf(0, 5_000_000_000, 1, 400).Agg("sum(hash(id)) AS h"))
			if err == nil {
				rows.Close()
			}
			done <- err
		}()
		awaitSessionInUse(t, c)
		cancel()
		<-done
		probeRunsAtOnce(t, c)
	})
	t.Run("while rows stream", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		// 40000 small tasks (100k rows each, so no partition result strains the driver).
		rows, err := c.Query(ctx, "SELECT id FROM range(0, 4000000000, 1, 40000)")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		if !rows.Next() { // the first row: Spark's tasks are running
			t.Fatal(rows.Err())
		}
		cancel()
		for rows.Next() { // what was already buffered
		}
		if !errors.Is(rows.Err(), context.Canceled) {
			t.Fatalf("want context.Canceled, got %v", rows.Err())
		}
		probeRunsAtOnce(t, c)
	})
}

func TestE2EStatementsInlineChunksAndFormats(t *testing.T) {
	c := live(t)
	ctx := timeout(t, 2*time.Minute)
	st, err := c.Submit(ctx, gateway.Submission{SQL: "SELECT id FROM range(:n)", Params: []any{gateway.Named{"n": 3}}})
	if err != nil {
		t.Fatal(err)
	}
	if st.State != gateway.Succeeded || st.Result == nil || st.Result.RowCount != 3 || len(st.Result.Inline) == 0 || st.Schema[0].Type != "bigint" {
		t.Fatalf("fast statement: %+v", st)
	}
	for _, f := range []gateway.Format{gateway.JSON, gateway.CSV, gateway.Arrow, gateway.NDJSON} {
		b, err := c.Chunk(ctx, st.ID, 0, f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		data, _ := io.ReadAll(b)
		b.Close()
		if !strings.HasPrefix(b.ContentType, string(f)) || len(data) == 0 {
			t.Errorf("chunk as %s: %s, %d bytes", f, b.ContentType, len(data))
		}
	}
	closed, err := c.Close(ctx, st.ID)
	if err != nil || closed.State != gateway.Closed {
		t.Fatalf("close: %+v %v", closed, err)
	}
	// DELETE removes a finished statement and its result: its chunks are gone with it.
	_, err = c.Chunk(ctx, st.ID, 0, gateway.NDJSON)
	problem(t, err, 404, gateway.ProblemNotFound)

	// A result of several chunks (16 MiB of Arrow each), walked while it is still spooling.
	const n = 3_000_000
	st, err = c.Submit(ctx, gateway.Submission{SQL: fmt.Sprintf("SELECT id, id * 2 AS twice FROM range(0, %d, 1, 4)", n), WaitTimeout: gateway.NoWait})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background(), st.ID)
	it := c.Chunks(st)
	var next int64
	chunks := 0
	for it.Next(ctx) {
		chunks++
		if it.Info().RowOffset != next {
			t.Fatalf("chunk %d starts at row %d, want %d", it.Info().Index, it.Info().RowOffset, next)
		}
		rows, err := it.Rows(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var id, twice int64
		for rows.Next() {
			if err := rows.Scan(&id, &twice); err != nil {
				t.Fatal(err)
			}
			if id != next || twice != 2*id {
				t.Fatalf("row %d: %d %d", next, id, twice)
			}
			next++
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	if it.Err() != nil || next != n || chunks < 2 {
		t.Fatalf("read %d rows in %d chunks: %v", next, chunks, it.Err())
	}
}

func TestE2EStatementsWaitEventsCancelAndIdempotency(t *testing.T) {
	c := live(t)
	ctx := timeout(t, 2*time.Minute)
	// No shuffle, so the cancel stops all of it (see TestE2EContextCancelInterruptsSpark).
	slow := gateway.Submission{SQL: "SELECT id FROM range(0, 5000000000, 1, 400) WHERE hash(id) = 42 AND hash(id) = 43", WaitTimeout: gateway.NoWait,
		IdempotencyKey: fmt.Sprintf("go-e2e-%d", time.Now().UnixNano())}
	st, err := c.Submit(ctx, slow)
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.Submit(ctx, slow)
	if err != nil || again.ID != st.ID {
		t.Fatalf("same Idempotency-Key gave %v (%v), want %s", again.ID, err, st.ID)
	}
	ev, err := c.Events(ctx, st.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Listen until Spark reports task progress, then cancel and see the final event.
	canceled := false
	var last *gateway.Statement
	for ev.Next() {
		last = ev.Statement()
		if !canceled && last.State == gateway.Running && last.Progress.TotalTasks > 0 {
			cs, err := c.Cancel(ctx, st.ID)
			if err != nil || cs.State != gateway.Canceled {
				t.Fatalf("cancel: %+v %v", cs, err)
			}
			canceled = true
		}
	}
	ev.Close()
	if ev.Err() != nil || !canceled || last.State != gateway.Canceled {
		t.Fatalf("events ended with %v, canceled %v, last %+v", ev.Err(), canceled, last)
	}
	final, err := c.Wait(ctx, st.ID, gateway.WaitOptions{})
	if err != nil || final.State != gateway.Canceled {
		t.Fatalf("wait after cancel: %+v %v", final, err)
	}
	it := c.Chunks(final)
	if it.Next(ctx) || it.Err() == nil {
		t.Fatal("a cancelled statement has no chunks")
	}

	// Wait by polling and by events on statements that succeed.
	for _, events := range []bool{false, true} {
		st, err := c.Submit(ctx, gateway.Submission{DataFrame: gateway.RangeOf(0, 20_000_000, 1, 4).Agg("sum(id) AS s"), WaitTimeout: gateway.NoWait})
		if err != nil {
			t.Fatal(err)
		}
		done, err := c.Wait(ctx, st.ID, gateway.WaitOptions{Events: events})
		if err != nil || done.State != gateway.Succeeded {
			t.Fatalf("wait (events %v): %+v %v", events, done, err)
		}
		got := all(t)(c.ChunkRows(ctx, done.ID, 0))
		if !reflect.DeepEqual(got, [][]any{{int64(199999990000000)}}) {
			t.Errorf("sum %v", got)
		}
		c.Close(ctx, done.ID)
	}
	// A statement that fails reports its problem.
	failed, err := c.Submit(ctx, gateway.Submission{SQL: "SELECT raise_error('nope')"})
	if err != nil || failed.State != gateway.Failed || failed.Error == nil || failed.Error.ErrorClass != "USER_RAISED_EXCEPTION" {
		t.Fatalf("failed statement: %+v %v", failed, err)
	}
}

// The NDJSON reader against the raw stream: same line count as a bare bufio count.
func TestE2ERowsMatchesRawLineCount(t *testing.T) {
	c := live(t)
	ctx := timeout(t, time.Minute)
	b, err := c.Export(ctx, gateway.Request{SQL: "SELECT id, CAST(id AS STRING) AS s FROM range(100000)"}, gateway.NDJSON)
	if err != nil {
		t.Fatal(err)
	}
	lines := 0
	sc := bufio.NewScanner(b)
	for sc.Scan() {
		lines++
	}
	b.Close()
	got := all(t)(c.Query(ctx, "SELECT id, CAST(id AS STRING) AS s FROM range(100000)"))
	if len(got) != lines-2 || got[99999][1] != "99999" {
		t.Fatalf("%d rows for %d lines", len(got), lines)
	}
}
