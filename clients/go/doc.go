// Package gateway is the Go client of Spark Connect Gateway: SQL and DataFrame specs over HTTP,
// results streamed row by row from NDJSON and decoded by the result schema, asynchronous
// statements with progress events and chunked results, and RFC 9457 problems as errors.
//
// It uses the standard library only. See docs/go-client.md in the gateway's repository.
//
//	c, err := gateway.New("http://localhost:8080")
//	rows, err := c.Query(ctx, "SELECT id, id * 2 AS twice FROM range(:n)", gateway.Named{"n": 3})
//	defer rows.Close()
//	for rows.Next() {
//		var id, twice int64
//		if err := rows.Scan(&id, &twice); err != nil { ... }
//	}
//	if err := rows.Err(); err != nil { ... }
package gateway
