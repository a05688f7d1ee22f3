package gateway

import (
	"encoding/base64"
	"math/big"
	"time"
)

// Spec is a DataFrame spec for POST /v1/dataframe (docs/dataframe-spec.md): a source and the
// DataFrame operations applied to it in order. Specs are values: every method returns a new Spec
// and leaves its receiver as it was, so a spec can be the base of several queries.
//
//	spec := gateway.Table("people").
//		Filter("age > 21").
//		GroupBy("dept_id").Agg("count(*) AS n").
//		OrderBy(gateway.Desc("n"))
type Spec struct {
	source any
	ops    []map[string]any
	err    error
}

// MarshalJSON writes the spec's documented JSON form.
func (s *Spec) MarshalJSON() ([]byte, error) {
	if s.err != nil {
		return nil, s.err
	}
	out := map[string]any{"source": s.source}
	if len(s.ops) > 0 {
		out["ops"] = s.ops
	}
	return jsonBody(out)
}

func (s *Spec) with(name string, arg any) *Spec {
	ops := make([]map[string]any, len(s.ops), len(s.ops)+1)
	copy(ops, s.ops)
	return &Spec{source: s.source, ops: append(ops, map[string]any{name: arg}), err: s.err}
}

// Table reads a table or view.
func Table(name string) *Spec { return &Spec{source: map[string]any{"table": name}} }

// TableWithOptions reads a table with data source options.
func TableWithOptions(name string, options map[string]string) *Spec {
	return &Spec{source: map[string]any{"table": map[string]any{"name": name, "options": options}}}
}

// SQL starts from a query, with parameters as Query takes them.
func SQL(query string, params ...any) *Spec {
	if len(params) == 0 {
		return &Spec{source: map[string]any{"sql": query}}
	}
	p, err := parameters(params)
	return &Spec{source: map[string]any{"sql": map[string]any{"query": query, "parameters": p}}, err: err}
}

// Range is spark.range(end): ids 0 to end-1.
func Range(end int64) *Spec { return &Spec{source: map[string]any{"range": end}} }

// RangeOf is spark.range(start, end, step, numPartitions); step and numPartitions 0 mean Spark's defaults.
func RangeOf(start, end, step int64, numPartitions int) *Spec {
	r := map[string]any{"start": start, "end": end}
	if step != 0 {
		r["step"] = step
	}
	if numPartitions != 0 {
		r["numPartitions"] = numPartitions
	}
	return &Spec{source: map[string]any{"range": r}}
}

// Values is inline rows with a DDL schema ("id INT, name STRING"). A row is a []any in schema
// order or a map[string]any by column name; time.Time, []byte and *big.Rat values are written in
// their JSON forms.
func Values(schema string, rows ...any) *Spec {
	out := make([]any, len(rows))
	for i, r := range rows {
		out[i] = inlineValue(r)
	}
	return &Spec{source: map[string]any{"values": map[string]any{"schema": schema, "rows": out}}}
}

func inlineValue(v any) any {
	switch x := v.(type) {
	case time.Time:
		return x.UTC().Format("2006-01-02T15:04:05.999999999Z")
	case []byte:
		return base64.StdEncoding.EncodeToString(x)
	case *big.Rat:
		for scale := 0; scale <= 38; scale++ {
			if s := x.FloatString(scale); ratEqual(s, x) {
				return s
			}
		}
		return x.FloatString(38)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = inlineValue(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = inlineValue(e)
		}
		return out
	}
	return v
}

// Read reads files through a Spark data source (format "parquet", "csv", "json", ...); paths are
// on the Spark server. options and schema (DDL) may be empty.
func Read(format string, paths []string, options map[string]string, schema string) *Spec {
	r := map[string]any{"format": format}
	if len(paths) == 1 {
		r["path"] = paths[0]
	} else {
		r["paths"] = paths
	}
	if len(options) > 0 {
		r["options"] = options
	}
	if schema != "" {
		r["schema"] = schema
	}
	return &Spec{source: map[string]any{"read": r}}
}

// ColumnRef is a column of select, groupBy or agg: a plain name or an expression, optionally aliased.
type ColumnRef struct {
	name, expr, alias string
}

// Col is a column by name (not parsed as an expression).
func Col(name string) ColumnRef { return ColumnRef{name: name} }

// Expr is a Spark SQL expression; a plain string argument is the same.
func Expr(expr string) ColumnRef { return ColumnRef{expr: expr} }

// As aliases the column.
func (c ColumnRef) As(alias string) ColumnRef { c.alias = alias; return c }

// MarshalJSON writes {"col"|"expr": ..., "as": ...}.
func (c ColumnRef) MarshalJSON() ([]byte, error) {
	m := map[string]string{}
	if c.name != "" {
		m["col"] = c.name
	} else {
		m["expr"] = c.expr
	}
	if c.alias != "" {
		m["as"] = c.alias
	}
	return jsonBody(m)
}

// SortKey is a sort key with an order and a nulls position.
type SortKey struct {
	ref   ColumnRef
	order string
	nulls string
}

// Asc sorts by an expression ascending (nulls first, as in Spark).
func Asc(expr string) SortKey { return SortKey{ref: Expr(expr), order: "asc"} }

// Desc sorts by an expression descending (nulls last, as in Spark).
func Desc(expr string) SortKey { return SortKey{ref: Expr(expr), order: "desc"} }

// NullsFirst puts nulls first.
func (k SortKey) NullsFirst() SortKey { k.nulls = "first"; return k }

// NullsLast puts nulls last.
func (k SortKey) NullsLast() SortKey { k.nulls = "last"; return k }

// MarshalJSON writes {"expr": ..., "order": ..., "nulls": ...}.
func (k SortKey) MarshalJSON() ([]byte, error) {
	m := map[string]string{"order": k.order}
	if k.ref.name != "" {
		m["col"] = k.ref.name
	} else {
		m["expr"] = k.ref.expr
	}
	if k.nulls != "" {
		m["nulls"] = k.nulls
	}
	return jsonBody(m)
}

// columns is one column alone or a list, as the grammar allows.
func columns(cols []any) any {
	if len(cols) == 1 {
		return cols[0]
	}
	return cols
}

// Select keeps the given columns: expression strings ("age + 1 AS next") or ColumnRefs.
func (s *Spec) Select(cols ...any) *Spec { return s.with("select", columns(cols)) }

// Filter keeps rows matching a SQL condition.
func (s *Spec) Filter(condition string) *Spec { return s.with("filter", condition) }

// Where is Filter.
func (s *Spec) Where(condition string) *Spec { return s.with("where", condition) }

// WithColumn adds or replaces a column.
func (s *Spec) WithColumn(name, expr string) *Spec {
	return s.with("withColumn", map[string]string{"name": name, "expr": expr})
}

// WithColumns adds or replaces several columns (name → expression).
func (s *Spec) WithColumns(exprs map[string]string) *Spec { return s.with("withColumns", exprs) }

// WithColumnRenamed renames one column.
func (s *Spec) WithColumnRenamed(from, to string) *Spec {
	return s.with("withColumnRenamed", map[string]string{"from": from, "to": to})
}

// WithColumnsRenamed renames several columns (old → new).
func (s *Spec) WithColumnsRenamed(names map[string]string) *Spec {
	return s.with("withColumnsRenamed", names)
}

// Drop removes columns (unknown names are ignored, as in Spark).
func (s *Spec) Drop(names ...string) *Spec { return s.with("drop", names) }

// Grouped is a spec waiting for the aggregates of its GroupBy.
type Grouped struct {
	spec *Spec
	by   []any
}

// GroupBy groups by columns; Agg gives the aggregates.
func (s *Spec) GroupBy(by ...any) *Grouped { return &Grouped{spec: s, by: by} }

// Agg aggregates each group ("count(*) AS n" or ColumnRefs).
func (g *Grouped) Agg(aggs ...any) *Spec {
	return g.spec.with("groupBy", map[string]any{"by": columns(g.by), "agg": columns(aggs)})
}

// Agg aggregates all rows into one.
func (s *Spec) Agg(aggs ...any) *Spec { return s.with("agg", columns(aggs)) }

// OrderBy sorts by keys: strings ("age DESC NULLS LAST") or SortKeys.
func (s *Spec) OrderBy(keys ...any) *Spec { return s.with("orderBy", columns(keys)) }

// Sort is OrderBy.
func (s *Spec) Sort(keys ...any) *Spec { return s.with("sort", columns(keys)) }

// Limit keeps the first n rows.
func (s *Spec) Limit(n int64) *Spec { return s.with("limit", n) }

// Offset skips n rows.
func (s *Spec) Offset(n int64) *Spec { return s.with("offset", n) }

// Distinct removes duplicate rows.
func (s *Spec) Distinct() *Spec { return s.with("distinct", true) }

// DropDuplicates removes rows duplicate in the named columns (all columns if none).
func (s *Spec) DropDuplicates(names ...string) *Spec {
	if len(names) == 0 {
		return s.with("dropDuplicates", true)
	}
	return s.with("dropDuplicates", names)
}

// JoinType is how a join matches rows.
type JoinType string

// Join types.
const (
	Inner JoinType = "inner"
	Left  JoinType = "left"
	Right JoinType = "right"
	Full  JoinType = "full"
	Semi  JoinType = "semi"
	Anti  JoinType = "anti"
	Cross JoinType = "cross"
)

func (s *Spec) join(right *Spec, on any, how JoinType) *Spec {
	j := map[string]any{"right": right}
	if on != nil {
		j["on"] = on
	}
	if how != "" {
		j["how"] = how
	}
	next := s.with("join", j)
	if right.err != nil && next.err == nil {
		next.err = right.err
	}
	return next
}

// Join joins on a SQL condition (use Alias to tell the sides apart).
func (s *Spec) Join(right *Spec, condition string, how JoinType) *Spec {
	return s.join(right, condition, how)
}

// JoinUsing joins on columns of the same name on both sides; they appear once in the output.
func (s *Spec) JoinUsing(right *Spec, cols []string, how JoinType) *Spec {
	return s.join(right, cols, how)
}

// CrossJoin pairs every row with every row of right.
func (s *Spec) CrossJoin(right *Spec) *Spec { return s.join(right, nil, Cross) }

func (s *Spec) setOp(name string, right *Spec, extra map[string]any) *Spec {
	arg := map[string]any{"right": right}
	for k, v := range extra {
		arg[k] = v
	}
	next := s.with(name, arg)
	if right.err != nil && next.err == nil {
		next.err = right.err
	}
	return next
}

// Union appends right's rows, keeping duplicates (the DataFrame method; SQL's UNION ALL).
func (s *Spec) Union(right *Spec) *Spec { return s.setOp("union", right, nil) }

// UnionAll is Union.
func (s *Spec) UnionAll(right *Spec) *Spec { return s.setOp("unionAll", right, nil) }

// UnionByName appends right's rows matching columns by name.
func (s *Spec) UnionByName(right *Spec, allowMissingColumns bool) *Spec {
	return s.setOp("unionByName", right, map[string]any{"allowMissingColumns": allowMissingColumns})
}

// Intersect keeps distinct rows found in both.
func (s *Spec) Intersect(right *Spec) *Spec { return s.setOp("intersect", right, nil) }

// IntersectAll keeps rows found in both, with duplicates.
func (s *Spec) IntersectAll(right *Spec) *Spec { return s.setOp("intersectAll", right, nil) }

// Except keeps distinct rows not in right.
func (s *Spec) Except(right *Spec) *Spec { return s.setOp("except", right, nil) }

// ExceptAll keeps rows not in right, with duplicates.
func (s *Spec) ExceptAll(right *Spec) *Spec { return s.setOp("exceptAll", right, nil) }

// Alias names the DataFrame so expressions can qualify its columns ("p.name").
func (s *Spec) Alias(name string) *Spec { return s.with("alias", name) }
