package gateway

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Named binds :name parameter markers; pass it as the only parameter of Query.
type Named map[string]any

// Typed is a parameter with an explicit Spark SQL type, e.g. Typed{"12.30", "DECIMAL(10,2)"}.
// Value is in the type's JSON form (docs/types.md): strings for decimals, dates and timestamps.
type Typed struct {
	Value any    `json:"value"`
	Type  string `json:"type"`
}

// Decimal is an exact DECIMAL parameter from its text, e.g. Decimal("-12.30") is DECIMAL(4,2).
func Decimal(text string) Typed {
	digits := strings.TrimLeft(text, "+-")
	scale := 0
	if dot := strings.IndexByte(digits, '.'); dot >= 0 {
		scale = len(digits) - dot - 1
		digits = digits[:dot] + digits[dot+1:]
	}
	precision := len(strings.TrimLeft(digits, "0"))
	if precision < scale {
		precision = scale
	}
	if precision == 0 {
		precision = 1
	}
	return Typed{Value: text, Type: fmt.Sprintf("DECIMAL(%d,%d)", precision, scale)}
}

// Date is a DATE parameter.
func Date(year int, month time.Month, day int) Typed {
	return Typed{Value: time.Date(year, month, day, 0, 0, 0, 0, time.UTC).Format("2006-01-02"), Type: "DATE"}
}

// TimestampNTZ is a TIMESTAMP_NTZ parameter: t's wall clock, without its zone.
func TimestampNTZ(t time.Time) Typed {
	return Typed{Value: t.Format("2006-01-02T15:04:05.999999999"), Type: "TIMESTAMP_NTZ"}
}

// param turns a Go value into its JSON parameter form.
func param(v any) (any, error) {
	switch x := v.(type) {
	case nil, bool, string, int, int8, int16, int32, uint8, uint16, uint32, float32, float64, Typed, json.RawMessage:
		return x, nil
	case int64:
		return Typed{Value: x, Type: "BIGINT"}, nil // a Go int64 stays BIGINT even when small
	case uint64:
		return Typed{Value: strconv.FormatUint(x, 10), Type: "DECIMAL(20,0)"}, nil
	case *big.Int:
		return Typed{Value: x.String(), Type: "DECIMAL(38,0)"}, nil
	case *big.Rat:
		for scale := 0; scale <= 38; scale++ {
			if s := x.FloatString(scale); ratEqual(s, x) {
				return Decimal(s), nil
			}
		}
		return nil, fmt.Errorf("gateway: %s has no exact decimal form with up to 38 fraction digits", x)
	case time.Time:
		return Typed{Value: x.UTC().Format("2006-01-02T15:04:05.999999999Z"), Type: "TIMESTAMP"}, nil
	case []byte:
		return Typed{Value: base64.StdEncoding.EncodeToString(x), Type: "BINARY"}, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			p, err := param(e)
			if err != nil {
				return nil, err
			}
			out[i] = p
		}
		return out, nil
	case []string, []int, []int64, []float64, []bool:
		return x, nil
	}
	return nil, fmt.Errorf("gateway: unsupported parameter type %T (use gateway.Typed)", v)
}

func ratEqual(s string, x *big.Rat) bool {
	r, ok := new(big.Rat).SetString(s)
	return ok && r.Cmp(x) == 0
}

// parameters encodes Query's variadic parameters: one Named binds :name markers, anything else ? markers.
func parameters(params []any) (any, error) {
	if len(params) == 0 {
		return nil, nil
	}
	if len(params) == 1 {
		if named, ok := params[0].(Named); ok {
			out := make(map[string]any, len(named))
			for k, v := range named {
				p, err := param(v)
				if err != nil {
					return nil, fmt.Errorf("%w (parameter %q)", err, k)
				}
				out[k] = p
			}
			return out, nil
		}
	}
	out := make([]any, len(params))
	for i, v := range params {
		p, err := param(v)
		if err != nil {
			return nil, fmt.Errorf("%w (parameter %d)", err, i+1)
		}
		out[i] = p
	}
	return out, nil
}

// Request is a SQL statement with its parameters and row limit, for QueryRequest and Export.
type Request struct {
	SQL string
	// Params: a Named for :name markers or a slice for ? markers (values as Query takes them).
	Params []any
	// Limit caps the rows returned (0: no limit); Rows.Truncated then tells whether more existed.
	Limit int64
}

type sqlBody struct {
	SQL        string `json:"sql"`
	Parameters any    `json:"parameters,omitempty"`
	Limit      *int64 `json:"limit,omitempty"`
}

func (r Request) body() (sqlBody, error) {
	p, err := parameters(r.Params)
	if err != nil {
		return sqlBody{}, err
	}
	b := sqlBody{SQL: r.SQL, Parameters: p}
	if r.Limit > 0 {
		b.Limit = &r.Limit
	}
	return b, nil
}

// Query runs a statement (query or command) on POST /v1/sql and streams its rows. Parameters are
// bound as literals, never spliced into the SQL: pass one Named for :name markers, or values for
// ? markers. Go values map to Spark types: int → INT, int64 → BIGINT, float64 → DOUBLE,
// string → STRING, bool → BOOLEAN, time.Time → TIMESTAMP, []byte → BINARY, *big.Rat → DECIMAL,
// slices → ARRAY; use Typed, Decimal, Date or TimestampNTZ for anything else.
func (c *Client) Query(ctx context.Context, sql string, params ...any) (*Rows, error) {
	return c.QueryRequest(ctx, Request{SQL: sql, Params: params})
}

// QueryRequest is Query with a row limit.
func (c *Client) QueryRequest(ctx context.Context, r Request) (*Rows, error) {
	b, err := r.body()
	if err != nil {
		return nil, err
	}
	return c.rows(ctx, "/v1/sql", b, retryRefused)
}

// DataFrame runs a DataFrame spec (POST /v1/dataframe) and streams its rows.
func (c *Client) DataFrame(ctx context.Context, spec *Spec) (*Rows, error) {
	return c.rows(ctx, "/v1/dataframe", spec, retryRefused)
}

// RunPlan runs a raw Spark Connect plan or relation in protobuf JSON (POST /v1/plan).
func (c *Client) RunPlan(ctx context.Context, plan json.RawMessage) (*Rows, error) {
	return c.rows(ctx, "/v1/plan", plan, retryRefused)
}

func (c *Client) rows(ctx context.Context, path string, v any, mode retryMode) (*Rows, error) {
	body, err := jsonBody(v)
	if err != nil {
		return nil, err
	}
	resp, err := c.send(ctx, call{method: http.MethodPost, path: path, body: body,
		contentType: "application/json", accept: string(NDJSON), retry: mode})
	if err != nil {
		return nil, err
	}
	return newRows(ctx, resp.Body, resp.Header.Get("X-Spark-Operation-Id"))
}

// Format is a result format (an Accept media type).
type Format string

// The gateway's result formats.
const (
	JSON   Format = "application/json"
	NDJSON Format = "application/x-ndjson"
	CSV    Format = "text/csv"
	Arrow  Format = "application/vnd.apache.arrow.stream"
)

// Body is a result in a chosen format, to be read and closed by the caller.
type Body struct {
	io.ReadCloser
	ContentType string
	OperationID string
}

// Export runs a statement and returns its result in the given format, unparsed (for CSV files,
// Arrow readers, or passing JSON on).
func (c *Client) Export(ctx context.Context, r Request, format Format) (*Body, error) {
	b, err := r.body()
	if err != nil {
		return nil, err
	}
	return c.export(ctx, "/v1/sql", b, format)
}

// ExportDataFrame is Export for a DataFrame spec.
func (c *Client) ExportDataFrame(ctx context.Context, spec *Spec, format Format) (*Body, error) {
	return c.export(ctx, "/v1/dataframe", spec, format)
}

func (c *Client) export(ctx context.Context, path string, v any, format Format) (*Body, error) {
	body, err := jsonBody(v)
	if err != nil {
		return nil, err
	}
	resp, err := c.send(ctx, call{method: http.MethodPost, path: path, body: body,
		contentType: "application/json", accept: string(format), retry: retryRefused})
	if err != nil {
		return nil, err
	}
	return &Body{ReadCloser: resp.Body, ContentType: resp.Header.Get("Content-Type"),
		OperationID: resp.Header.Get("X-Spark-Operation-Id")}, nil
}

// Schema returns the columns a query would produce, without running it (POST /v1/sql/schema).
func (c *Client) Schema(ctx context.Context, r Request) ([]Column, error) {
	b, err := r.body()
	if err != nil {
		return nil, err
	}
	return c.schema(ctx, "/v1/sql/schema", b)
}

// DataFrameSchema returns the columns a spec would produce, without running it.
func (c *Client) DataFrameSchema(ctx context.Context, spec *Spec) ([]Column, error) {
	return c.schema(ctx, "/v1/dataframe/schema", spec)
}

func (c *Client) schema(ctx context.Context, path string, v any) ([]Column, error) {
	body, err := jsonBody(v)
	if err != nil {
		return nil, err
	}
	var out struct {
		Schema []Column `json:"schema"`
	}
	err = c.doJSON(ctx, call{method: http.MethodPost, path: path, body: body, contentType: "application/json", retry: retrySafe}, &out)
	return out.Schema, err
}

// Explain returns Spark's plan text for a query; mode is "simple", "extended", "codegen", "cost",
// "formatted" or "" (the gateway's default).
func (c *Client) Explain(ctx context.Context, r Request, mode string) (string, error) {
	b, err := r.body()
	if err != nil {
		return "", err
	}
	return c.explain(ctx, "/v1/sql/explain", b, mode)
}

// ExplainDataFrame is Explain for a DataFrame spec.
func (c *Client) ExplainDataFrame(ctx context.Context, spec *Spec, mode string) (string, error) {
	return c.explain(ctx, "/v1/dataframe/explain", spec, mode)
}

func (c *Client) explain(ctx context.Context, path string, v any, mode string) (string, error) {
	body, err := jsonBody(v)
	if err != nil {
		return "", err
	}
	var q url.Values
	if mode != "" {
		q = url.Values{"mode": {mode}}
	}
	var out struct {
		Plan string `json:"plan"`
	}
	err = c.doJSON(ctx, call{method: http.MethodPost, path: path, query: q, body: body, contentType: "application/json", retry: retrySafe}, &out)
	return out.Plan, err
}

// PlanSchema returns the columns a raw Spark Connect plan would produce (POST /v1/plan/schema).
func (c *Client) PlanSchema(ctx context.Context, plan json.RawMessage) ([]Column, error) {
	return c.schema(ctx, "/v1/plan/schema", plan)
}

// ExplainPlan is Explain for a raw Spark Connect plan (POST /v1/plan/explain).
func (c *Client) ExplainPlan(ctx context.Context, plan json.RawMessage, mode string) (string, error) {
	return c.explain(ctx, "/v1/plan/explain", plan, mode)
}

// DataFramePlan returns the Spark Connect plan a spec becomes, as protobuf JSON (RunPlan runs it).
func (c *Client) DataFramePlan(ctx context.Context, spec *Spec) (json.RawMessage, error) {
	body, err := jsonBody(spec)
	if err != nil {
		return nil, err
	}
	var out json.RawMessage
	err = c.doJSON(ctx, call{method: http.MethodPost, path: "/v1/dataframe/plan", body: body, contentType: "application/json", retry: retrySafe}, &out)
	return out, err
}
