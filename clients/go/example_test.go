package gateway_test

// These examples are the ones in docs/go-client.md. They run against GATEWAY_URL (see TestMain).

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	gateway "sparkgateway.dev/gateway-go"
)

func Example() {
	ctx := context.Background()
	c, err := gateway.New(gatewayURL) // e.g. "http://localhost:8080"
	if err != nil {
		panic(err)
	}
	rows, err := c.Query(ctx, "SELECT id, id * id AS sq FROM range(10) WHERE id >= :min", gateway.Named{"min": 7})
	if err != nil {
		panic(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, sq int64
		if err := rows.Scan(&id, &sq); err != nil {
			panic(err)
		}
		fmt.Println(id, sq)
	}
	if err := rows.Err(); err != nil {
		panic(err)
	}
	// Output:
	// 7 49
	// 8 64
	// 9 81
}

func ExampleRows_Scan() {
	c := exampleClient()
	rows, err := c.Query(context.Background(), `SELECT CAST(9007199254740993 AS BIGINT) AS big,
		CAST('1234567890.123456789012345678' AS DECIMAL(38,18)) AS price,
		TIMESTAMP'2024-01-31 12:34:56.123456' AS at, CAST(NULL AS STRING) AS note,
		named_struct('city', 'Oslo', 'zips', array(150, 151)) AS address`)
	if err != nil {
		panic(err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			large   int64
			price   big.Rat
			at      time.Time
			note    *string // NULL becomes nil
			address gateway.Struct
		)
		if err := rows.Scan(&large, &price, &at, &note, &address); err != nil {
			panic(err)
		}
		city, _ := address.Get("city")
		fmt.Println(large, price.FloatString(18), at.Format(time.RFC3339Nano), note == nil, city, address[1].Value)
	}
	if err := rows.Err(); err != nil {
		panic(err)
	}
	// Output:
	// 9007199254740993 1234567890.123456789012345678 2024-01-31T12:34:56.123456Z true Oslo [150 151]
}

func ExampleClient_DataFrame() {
	c := exampleClient()
	people := gateway.Values("name STRING, age INT, dept STRING",
		[]any{"Ada", 36, "eng"}, []any{"Brian", 41, "sales"}, []any{"Chen", nil, "eng"})
	spec := people.
		Filter("age IS NOT NULL").
		GroupBy("dept").Agg("count(*) AS n", "max(age) AS oldest").
		OrderBy(gateway.Desc("oldest"))
	rows, err := c.DataFrame(context.Background(), spec)
	if err != nil {
		panic(err)
	}
	defer rows.Close()
	for rows.Next() {
		values, _ := rows.Values()
		fmt.Println(values...)
	}
	// Output:
	// sales 1 41
	// eng 1 36
}

func ExampleClient_Submit() {
	ctx := context.Background()
	c := exampleClient()
	st, err := c.Submit(ctx, gateway.Submission{
		SQL:            "SELECT id % 3 AS k, count(*) AS n FROM range(0, 3000000, 1, 4) GROUP BY k ORDER BY k",
		WaitTimeout:    gateway.NoWait,
		IdempotencyKey: fmt.Sprintf("example-%d", time.Now().UnixNano()), // makes the submit safe to retry
	})
	if err != nil {
		panic(err)
	}
	defer c.Close(ctx, st.ID) // frees the spooled result
	st, err = c.Wait(ctx, st.ID, gateway.WaitOptions{Events: true})
	if err != nil {
		panic(err)
	}
	fmt.Println(st.State, st.Result.RowCount)
	it := c.Chunks(st)
	for it.Next(ctx) {
		rows, err := it.Rows(ctx)
		if err != nil {
			panic(err)
		}
		for rows.Next() {
			var k, n int64
			_ = rows.Scan(&k, &n)
			fmt.Println(k, n)
		}
		rows.Close()
	}
	if err := it.Err(); err != nil {
		panic(err)
	}
	// Output:
	// SUCCEEDED 3
	// 0 1000000
	// 1 1000000
	// 2 1000000
}

func ExampleProblem() {
	c := exampleClient()
	_, err := c.Query(context.Background(), "SELECT * FROM no_such_table")
	var p *gateway.Problem
	if errors.As(err, &p) {
		fmt.Println(p.Status, p.Type, p.ErrorClass, p.SQLState)
	}
	// Output:
	// 400 /problems/spark-error TABLE_OR_VIEW_NOT_FOUND 42P01
}
