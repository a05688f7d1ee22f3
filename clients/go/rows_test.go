package gateway

import (
	"io"
	"math"
	"strings"
	"testing"
)

func rowsOf(t *testing.T, schema, lines string) *Rows {
	t.Helper()
	r, err := newRows(nil, io.NopCloser(strings.NewReader(`{"schema":`+schema+"}\n"+lines)), "")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Scan's direct paths and its general path agree on every edge of the number and string forms.
func TestScanDirectPathsAndEdges(t *testing.T) {
	r := rowsOf(t, `[{"name":"i","type":"bigint"},{"name":"s","type":"string"}]`,
		`[-9223372036854775808,"héllo"]`+"\n"+
			`[9223372036854775807,"a\"b\\c\u0001"]`+"\n"+
			`[ -12 , "" ]`+"\n"+
			`[1]`+"\n"+
			`[1,"x",2]`+"\n"+
			`{"rowCount":5,"truncated":false}`+"\n")
	var i int64
	var s string
	want := []struct {
		i int64
		s string
	}{{math.MinInt64, "héllo"}, {math.MaxInt64, "a\"b\\c\x01"}, {-12, ""}}
	for n, w := range want {
		if !r.Next() {
			t.Fatal(r.Err())
		}
		if err := r.Scan(&i, &s); err != nil || i != w.i || s != w.s {
			t.Errorf("row %d: %d %q %v", n, i, s, err)
		}
	}
	for _, msg := range []string{"fewer values", "more values"} {
		if !r.Next() {
			t.Fatal(r.Err())
		}
		if err := r.Scan(&i, &s); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("want %q, got %v", msg, err)
		}
	}
	if r.Next() || r.Err() != nil || r.RowCount() != 5 {
		t.Errorf("end: %v", r.Err())
	}
	if err := r.Scan(&i, &s); err == nil {
		t.Error("Scan after the end")
	}
}

func TestLongLinesAndScanMistakes(t *testing.T) {
	long := strings.Repeat("x", rowsBufferSize*2+17)
	r := rowsOf(t, `[{"name":"s","type":"string"},{"name":"n","type":"int","nullable":true}]`,
		`["`+long+`",null]`+"\n"+`{"rowCount":1,"truncated":false}`+"\n")
	if !r.Next() {
		t.Fatal(r.Err())
	}
	var s string
	var n int64
	if err := r.Scan(&s, nil); err != nil || s != long {
		t.Errorf("long line: %d chars, %v", len(s), err)
	}
	if err := r.Scan(&s); err == nil {
		t.Error("too few destinations accepted")
	}
	if err := r.Scan(&s, &n); err == nil || !strings.Contains(err.Error(), "column 1 (n int)") {
		t.Errorf("NULL into *int64: %v", err)
	}
	var b bool
	if err := r.Scan(&b, nil); err == nil || !strings.Contains(err.Error(), "cannot scan string into *bool") {
		t.Errorf("string into *bool: %v", err)
	}
}
