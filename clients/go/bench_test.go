package gateway

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"
)

// The decoding benchmark of docs/performance.md: the NDJSON response of
// SELECT id, id * 2 AS twice, CAST(id AS STRING) AS s FROM range(5000000), in the gateway's exact
// format, served over local HTTP. BenchmarkNDJSONLineCount reads it with a bare bufio.Reader;
// BenchmarkNDJSONRows reads it through Rows and Scans every row. Compare their rows/s.

const benchRows = 5_000_000

var (
	benchOnce sync.Once
	benchBody []byte
)

func benchServer(b *testing.B) *httptest.Server {
	benchOnce.Do(func() {
		var buf bytes.Buffer
		buf.WriteString(`{"schema":[{"name":"id","type":"bigint","nullable":false},{"name":"twice","type":"bigint","nullable":false},{"name":"s","type":"string","nullable":false}]}` + "\n")
		line := make([]byte, 0, 64)
		for i := int64(0); i < benchRows; i++ {
			line = append(line[:0], '[')
			line = strconv.AppendInt(line, i, 10)
			line = append(line, ',')
			line = strconv.AppendInt(line, 2*i, 10)
			line = append(line, ',', '"')
			line = strconv.AppendInt(line, i, 10)
			line = append(line, '"', ']', '\n')
			buf.Write(line)
		}
		buf.WriteString(`{"rowCount":` + strconv.Itoa(benchRows) + `,"truncated":false}` + "\n")
		benchBody = buf.Bytes()
	})
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-ndjson")
		_, _ = w.Write(benchBody)
	}))
	b.Cleanup(s.Close)
	return s
}

func BenchmarkNDJSONLineCount(b *testing.B) {
	s := benchServer(b)
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		resp, err := http.Get(s.URL)
		if err != nil {
			b.Fatal(err)
		}
		r := bufio.NewReaderSize(resp.Body, rowsBufferSize)
		lines := 0
		for {
			_, err := r.ReadSlice('\n')
			if err == io.EOF {
				break
			}
			if err != nil && err != bufio.ErrBufferFull {
				b.Fatal(err)
			}
			lines++
		}
		resp.Body.Close()
		if lines != benchRows+2 {
			b.Fatalf("%d lines", lines)
		}
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/time.Since(start).Seconds(), "rows/s")
}

func BenchmarkNDJSONRows(b *testing.B) {
	s := benchServer(b)
	c, err := New(s.URL)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		rows, err := c.Query(context.Background(), "SELECT id, id * 2 AS twice, CAST(id AS STRING) AS s FROM range(5000000)")
		if err != nil {
			b.Fatal(err)
		}
		var id, twice, n int64
		var str string
		for rows.Next() {
			if err := rows.Scan(&id, &twice, &str); err != nil {
				b.Fatal(err)
			}
			n++
		}
		if rows.Err() != nil || n != benchRows || id != benchRows-1 || str != strconv.Itoa(benchRows-1) {
			b.Fatalf("%d rows, last %d %q: %v", n, id, str, rows.Err())
		}
		rows.Close()
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/time.Since(start).Seconds(), "rows/s")
}
