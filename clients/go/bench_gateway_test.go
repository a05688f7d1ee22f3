package gateway_test

import (
	"bufio"
	"context"
	"io"
	"testing"
	"time"

	gateway "sparkgateway.dev/gateway-go"
)

// The end-to-end form of the decoding benchmark (docs/performance.md): the same 5M-row query
// from a real gateway (GATEWAY_URL), read by a bare bufio.Reader line count and through Rows.

const benchQuery = "SELECT id, id * 2 AS twice, CAST(id AS STRING) AS s FROM range(0, 5000000, 1, 4)"

func BenchmarkGatewayNDJSONLineCount(b *testing.B) {
	c := live(b)
	start := time.Now()
	for i := 0; i < b.N; i++ {
		body, err := c.Export(context.Background(), gateway.Request{SQL: benchQuery}, gateway.NDJSON)
		if err != nil {
			b.Fatal(err)
		}
		r := bufio.NewReaderSize(body, 256<<10)
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
		body.Close()
		if lines != 5_000_002 {
			b.Fatalf("%d lines", lines)
		}
	}
	b.ReportMetric(5e6*float64(b.N)/time.Since(start).Seconds(), "rows/s")
}

func BenchmarkGatewayNDJSONRows(b *testing.B) {
	c := live(b)
	start := time.Now()
	for i := 0; i < b.N; i++ {
		rows, err := c.Query(context.Background(), benchQuery)
		if err != nil {
			b.Fatal(err)
		}
		var id, twice, n int64
		var s string
		for rows.Next() {
			if err := rows.Scan(&id, &twice, &s); err != nil {
				b.Fatal(err)
			}
			n++
		}
		if rows.Err() != nil || n != 5_000_000 {
			b.Fatalf("%d rows: %v", n, rows.Err())
		}
		rows.Close()
	}
	b.ReportMetric(5e6*float64(b.N)/time.Since(start).Seconds(), "rows/s")
}
