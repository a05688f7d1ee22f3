package gateway_test

import (
	"context"
	"testing"
	"time"
)

// Smoke: the gateway is up, ready, and answers SELECT 1.
func TestSmokeReadyAndSelectOne(t *testing.T) {
	c := live(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ready, err := c.Ready(ctx)
	if err != nil {
		t.Fatalf("readiness: %v", err)
	}
	if ready.Status != "UP" || ready.Check("spark-connect")["sparkVersion"] == nil {
		t.Fatalf("readiness report: %+v", ready)
	}
	rows, err := c.Query(ctx, "SELECT 1 AS one")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if !rows.Next() {
		t.Fatalf("no row: %v", rows.Err())
	}
	var one int64
	if err := rows.Scan(&one); err != nil {
		t.Fatal(err)
	}
	if rows.Next() || rows.Err() != nil {
		t.Fatalf("more than one row or error: %v", rows.Err())
	}
	if one != 1 || rows.RowCount() != 1 || rows.Columns()[0].Name != "one" || rows.Columns()[0].Type != "int" {
		t.Fatalf("got %d, count %d, columns %+v", one, rows.RowCount(), rows.Columns())
	}
}
