package gateway

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"time"
)

// Struct is a struct value: its fields in declared order.
type Struct []StructField

// StructField is one field of a Struct value.
type StructField struct {
	Name  string
	Value any
}

// Get returns the value of the field named name.
func (s Struct) Get(name string) (any, bool) {
	for _, f := range s {
		if f.Name == name {
			return f.Value, true
		}
	}
	return nil, false
}

// Decode turns one JSON value of this type, as the gateway writes it (docs/types.md), into its Go form:
//
//	boolean                     bool
//	tinyint ... bigint          int64 (exact, also beyond 2^53)
//	float, double               float64 ("NaN", "Infinity", "-Infinity" too)
//	decimal(p,s)                *big.Rat (exact)
//	string, char, varchar       string
//	binary                      []byte
//	date                        time.Time, midnight UTC
//	timestamp                   time.Time in UTC, microseconds kept
//	timestamp_ntz               time.Time with the wall clock as given, in UTC (it has no zone)
//	interval ...                string (ISO-8601, e.g. "P1Y2M", "PT26H3M4.5S")
//	array<T>                    []any
//	map<K,V>                    map[string]any (keys in the gateway's text form)
//	struct<...>                 Struct
//	NULL (at any depth)         nil
//
// Other types come back as encoding/json gives them, numbers as json.Number.
func (t *DataType) Decode(raw []byte) (any, error) {
	if isNull(raw) {
		return nil, nil
	}
	switch t.Kind {
	case KindBoolean:
		switch string(raw) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
	case KindInteger:
		return parseInt(raw)
	case KindFloat:
		return parseFloat(raw)
	case KindDecimal:
		s, err := jsonString(raw)
		if err != nil {
			return nil, err
		}
		r, ok := new(big.Rat).SetString(s)
		if !ok {
			return nil, fmt.Errorf("gateway: bad decimal %q", s)
		}
		return r, nil
	case KindString, KindInterval:
		return jsonString(raw)
	case KindBinary:
		s, err := jsonString(raw)
		if err != nil {
			return nil, err
		}
		return base64.StdEncoding.DecodeString(s)
	case KindDate, KindTimestamp, KindTimestampNTZ:
		s, err := jsonString(raw)
		if err != nil {
			return nil, err
		}
		return parseTime(s, t.Kind)
	case KindArray:
		elems, err := splitArray(raw, nil)
		if err != nil {
			return nil, err
		}
		out := make([]any, len(elems))
		for i, e := range elems {
			if out[i], err = t.Elem.Decode(e); err != nil {
				return nil, err
			}
		}
		return out, nil
	case KindMap:
		out := map[string]any{}
		err := eachMember(raw, func(k string, v []byte) error {
			val, err := t.Value.Decode(v)
			out[k] = val
			return err
		})
		return out, err
	case KindStruct:
		out := make(Struct, 0, len(t.Fields))
		err := eachMember(raw, func(k string, v []byte) error {
			ft := t.fieldType(k, len(out))
			val, err := ft.Decode(v)
			out = append(out, StructField{Name: k, Value: val})
			return err
		})
		return out, err
	case KindVoid:
		return nil, nil
	default:
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		var v any
		err := d.Decode(&v)
		return v, err
	}
	return nil, fmt.Errorf("gateway: bad %s value %.40s", t.Name, raw)
}

// fieldType finds a struct field's type by name, else by position (fields come in declared order).
func (t *DataType) fieldType(name string, index int) *DataType {
	if index < len(t.Fields) && t.Fields[index].Name == name {
		return t.Fields[index].Type
	}
	for _, f := range t.Fields {
		if f.Name == name {
			return f.Type
		}
	}
	if index < len(t.Fields) {
		return t.Fields[index].Type
	}
	return &DataType{Kind: KindOther}
}

// parseInt parses an exact decimal integer without going through float64 or a string.
func parseInt(raw []byte) (int64, error) {
	i, neg := 0, false
	if len(raw) > 0 && raw[0] == '-' {
		i, neg = 1, true
	}
	if i == len(raw) || len(raw)-i > 18 {
		return strconv.ParseInt(string(raw), 10, 64) // empty, or long enough to overflow: let strconv judge
	}
	var n int64
	for ; i < len(raw); i++ {
		c := raw[i]
		if c < '0' || c > '9' {
			return strconv.ParseInt(string(raw), 10, 64)
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, nil
}

func parseFloat(raw []byte) (float64, error) {
	if len(raw) > 0 && raw[0] == '"' {
		switch string(raw) {
		case `"NaN"`:
			return math.NaN(), nil
		case `"Infinity"`:
			return math.Inf(1), nil
		case `"-Infinity"`:
			return math.Inf(-1), nil
		}
		return 0, fmt.Errorf("gateway: bad float %s", raw)
	}
	return strconv.ParseFloat(string(raw), 64)
}

// parseTime reads the gateway's ISO-8601 forms: yyyy-MM-dd, and date-times with an optional
// fraction (up to nanoseconds), ending in Z for timestamps. Years may be signed (+10000, -0001).
func parseTime(s string, kind Kind) (time.Time, error) {
	bad := func() (time.Time, error) { return time.Time{}, fmt.Errorf("gateway: bad date/time %q", s) }
	i, sign := 0, 1
	if len(s) > 0 && (s[0] == '+' || s[0] == '-') {
		if s[0] == '-' {
			sign = -1
		}
		i = 1
	}
	num := func(min, max int) (int, bool) {
		start, n := i, 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' && i-start < max {
			n = n*10 + int(s[i]-'0')
			i++
		}
		return n, i-start >= min
	}
	sep := func(c byte) bool {
		if i < len(s) && s[i] == c {
			i++
			return true
		}
		return false
	}
	year, ok := num(4, 9)
	if !ok || !sep('-') {
		return bad()
	}
	month, ok1 := num(2, 2)
	ok2 := sep('-')
	day, ok3 := num(2, 2)
	if !ok1 || !ok2 || !ok3 {
		return bad()
	}
	year *= sign
	if kind == KindDate {
		if i != len(s) {
			return bad()
		}
		return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC), nil
	}
	if !sep('T') {
		return bad()
	}
	hour, ok1 := num(2, 2)
	ok2 = sep(':')
	minute, ok3 := num(2, 2)
	if !ok1 || !ok2 || !ok3 {
		return bad()
	}
	second, nanos := 0, 0
	if sep(':') {
		if second, ok = num(2, 2); !ok {
			return bad()
		}
		if sep('.') {
			start := i
			frac, ok := num(1, 9)
			if !ok {
				return bad()
			}
			for d := i - start; d < 9; d++ {
				frac *= 10
			}
			nanos = frac
		}
	}
	if kind == KindTimestamp && !sep('Z') {
		return bad()
	}
	if i != len(s) {
		return bad()
	}
	return time.Date(year, time.Month(month), day, hour, minute, second, nanos, time.UTC), nil
}
