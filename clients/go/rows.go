package gateway

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Rows streams a result from the gateway's NDJSON format, like database/sql's Rows:
//
//	for rows.Next() { err = rows.Scan(&a, &b) }
//	err = rows.Err()   // also a failure Spark reported after some rows were sent, as a *Problem
//	rows.Close()
//
// Rows hold the HTTP response open; Close (or cancelling the request's context) closes it, and the
// gateway then interrupts the Spark operation.
type Rows struct {
	body      io.ReadCloser
	r         *bufio.Reader
	ctx       context.Context
	columns   []Column
	types     []*DataType
	line      []byte // the current row's JSON text, decoded by Scan
	hasRow    bool
	long      []byte // buffer for lines longer than the reader's
	err       error
	done      bool
	rowCount  int64
	truncated bool
	rows      int64
	opID      string
}

// rowsBufferSize is the read buffer: large enough that almost every row is one ReadSlice.
const rowsBufferSize = 256 << 10

// newRows reads the schema line; the body is closed if that fails.
func newRows(ctx context.Context, body io.ReadCloser, operationID string) (*Rows, error) {
	r := &Rows{body: body, r: bufio.NewReaderSize(body, rowsBufferSize), ctx: ctx, opID: operationID}
	line, err := r.readLine()
	if err != nil {
		body.Close()
		return nil, r.wrap(fmt.Errorf("gateway: reading the result schema: %w", err))
	}
	var head struct {
		Schema []Column `json:"schema"`
		Error  *Problem `json:"error"`
	}
	if err := json.Unmarshal(line, &head); err != nil || head.Schema == nil && head.Error == nil {
		body.Close()
		return nil, fmt.Errorf("gateway: the result does not start with a schema line: %.100q", line)
	}
	if head.Error != nil {
		body.Close()
		return nil, head.Error
	}
	r.columns = head.Schema
	r.types = make([]*DataType, len(head.Schema))
	for i, c := range head.Schema {
		t, err := ParseType(c.Type)
		if err != nil {
			t = &DataType{Name: c.Type, Kind: KindOther}
		}
		r.types[i] = t
	}
	return r, nil
}

// readLine returns the next line without its newline; io.EOF only if nothing is left.
func (r *Rows) readLine() ([]byte, error) {
	line, err := r.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		r.long = append(r.long[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = r.r.ReadSlice('\n')
			r.long = append(r.long, line...)
		}
		line = r.long
	}
	if err == io.EOF && len(line) > 0 {
		return nil, io.ErrUnexpectedEOF // a last line without its newline: the response was cut
	}
	if err != nil {
		return nil, err
	}
	line = line[:len(line)-1]
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	}
	return line, nil
}

// Columns describes the result columns.
func (r *Rows) Columns() []Column { return r.columns }

// ColumnTypes gives the parsed type of every column.
func (r *Rows) ColumnTypes() []*DataType { return r.types }

// OperationID is the Spark operation id the gateway reported (X-Spark-Operation-Id), if any.
func (r *Rows) OperationID() string { return r.opID }

// Next advances to the next row. It returns false at the end or on an error (see Err).
func (r *Rows) Next() bool {
	if r.done {
		return false
	}
	line, err := r.readLine()
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return r.fail(fmt.Errorf("gateway: result stream ended without its last line after %d rows: %w", r.rows, err))
	}
	if len(line) > 0 && line[0] == '[' {
		r.line, r.hasRow = line, true
		r.rows++
		return true
	}
	var tail struct {
		RowCount  *int64   `json:"rowCount"`
		Truncated bool     `json:"truncated"`
		Error     *Problem `json:"error"`
	}
	if err := json.Unmarshal(line, &tail); err != nil {
		return r.fail(fmt.Errorf("gateway: unexpected result line %.100q", line))
	}
	if tail.Error != nil {
		return r.fail(tail.Error)
	}
	if tail.RowCount == nil {
		return r.fail(fmt.Errorf("gateway: unexpected result line %.100q", line))
	}
	r.rowCount, r.truncated = *tail.RowCount, tail.Truncated
	r.done = true
	// Read the chunked body's end so the connection can be reused.
	_, _ = io.Copy(io.Discard, io.LimitReader(r.r, 4096))
	r.body.Close()
	return false
}

func (r *Rows) fail(err error) bool {
	r.err = r.wrap(err)
	r.done = true
	r.hasRow = false
	r.body.Close()
	return false
}

// wrap reports the context's error when a read failed because the context ended.
func (r *Rows) wrap(err error) error {
	var p *Problem
	if r.ctx != nil && r.ctx.Err() != nil && !errors.As(err, &p) {
		return fmt.Errorf("%w (%v)", r.ctx.Err(), err)
	}
	return err
}

// Scan copies the current row's columns into dest, one pointer per column. Destinations:
// *any (the Go form listed at DataType.Decode), *int64 and smaller ints, *float64, *float32,
// *bool, *string (any column: strings as they are, decimals exactly, others as JSON text),
// *big.Rat, *big.Int, *time.Time, *[]byte, *[]any, *map[string]any, *Struct, *json.RawMessage,
// a sql.Scanner such as *sql.NullInt64, or a pointer to any of those pointers (**int64), which
// NULL sets to nil. A NULL scanned into a plain destination is an error; nil skips a column.
func (r *Rows) Scan(dest ...any) error {
	if !r.hasRow {
		return errors.New("gateway: Scan called without a row (call Next first)")
	}
	if len(dest) != len(r.columns) {
		return fmt.Errorf("gateway: Scan got %d destinations for %d columns", len(dest), len(r.columns))
	}
	// One pass over the row's JSON text: each value is found and decoded where it stands, with
	// direct paths for the most common destinations (the rows/s of docs/performance.md).
	b := r.line
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '[' {
		return r.rowError(-1, errSyntax)
	}
	i++
	for col, d := range dest {
		i = skipSpace(b, i)
		if col > 0 {
			if i >= len(b) || b[i] != ',' {
				if i < len(b) && b[i] == ']' {
					return fmt.Errorf("gateway: row %d has fewer values than its %d columns", r.rows, len(r.columns))
				}
				return r.rowError(col, errSyntax)
			}
			i = skipSpace(b, i+1)
		}
		end, err := r.scanAt(b, i, d, r.types[col])
		if err != nil {
			return r.rowError(col, err)
		}
		i = end
	}
	if i = skipSpace(b, i); i >= len(b) || b[i] != ']' {
		return fmt.Errorf("gateway: row %d has more values than its %d columns", r.rows, len(r.columns))
	}
	return nil
}

// scanAt decodes the value starting at b[i] into d and returns the index after it.
func (r *Rows) scanAt(b []byte, i int, d any, t *DataType) (int, error) {
	if i >= len(b) {
		return 0, fmt.Errorf("row %d has fewer values than its %d columns", r.rows, len(r.columns))
	}
	switch dest := d.(type) {
	case *int64:
		if t.Kind == KindInteger {
			var n int64
			j, neg := i, false
			if b[j] == '-' {
				neg = true
				j++
			}
			start := j
			for j < len(b) && b[j] >= '0' && b[j] <= '9' && j-start < 18 {
				n = n*10 + int64(b[j]-'0')
				j++
			}
			if j > start && j < len(b) && (b[j] == ',' || b[j] == ']') {
				if neg {
					n = -n
				}
				*dest = n
				return j, nil
			}
		}
	case *string:
		if t.Kind == KindString && b[i] == '"' {
			j := i + 1
			for j < len(b) && b[j] != '"' && b[j] != '\\' && b[j] >= 0x20 && b[j] < 0x80 {
				j++
			}
			if j < len(b) && b[j] == '"' {
				*dest = string(b[i+1 : j])
				return j + 1, nil
			}
		}
	}
	end, err := valueEnd(b, i)
	if err != nil {
		return 0, err
	}
	if d != nil {
		err = scanValue(d, b[i:end], t)
	}
	return end, err
}

func (r *Rows) rowError(col int, err error) error {
	if col < 0 || col >= len(r.columns) {
		return fmt.Errorf("gateway: row %d: %w", r.rows, err)
	}
	return fmt.Errorf("gateway: column %d (%s %s): %w", col, r.columns[col].Name, r.columns[col].Type, err)
}

// Values decodes the current row into Go values (see DataType.Decode).
func (r *Rows) Values() ([]any, error) {
	out := make([]any, len(r.columns))
	ptrs := make([]any, len(out))
	for i := range out {
		ptrs[i] = &out[i]
	}
	return out, r.Scan(ptrs...)
}

// RawRow is the current row's JSON text (valid until the next call to Next).
func (r *Rows) RawRow() []byte { return r.line }

// Err is the error that ended iteration, if any: a *Problem Spark reported mid-stream, a broken
// or cut response, or the context's error.
func (r *Rows) Err() error { return r.err }

// Truncated reports whether a row limit cut the result (known once Next returned false).
func (r *Rows) Truncated() bool { return r.truncated }

// RowCount is the number of rows the gateway says it sent (known once Next returned false).
func (r *Rows) RowCount() int64 { return r.rowCount }

// Close closes the response. Closing before the end makes the gateway interrupt the Spark operation.
func (r *Rows) Close() error {
	r.done = true
	r.hasRow = false
	return r.body.Close()
}
