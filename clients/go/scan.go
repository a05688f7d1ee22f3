package gateway

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"time"
)

// scanner is the shape of database/sql's Scanner (sql.NullInt64, sql.NullString, ...).
type scanner interface {
	Scan(src any) error
}

// scanValue stores the column value raw (JSON text of type t) in dest.
func scanValue(dest any, raw []byte, t *DataType) error {
	// Fast paths for the common scalar destinations: no boxing, no intermediate value.
	if !isNull(raw) {
		switch d := dest.(type) {
		case *int64:
			if t.Kind == KindInteger {
				n, err := parseInt(raw)
				*d = n
				return err
			}
		case *string:
			if t.Kind == KindString {
				s, err := jsonString(raw)
				*d = s
				return err
			}
		case *float64:
			if t.Kind == KindFloat {
				f, err := parseFloat(raw)
				*d = f
				return err
			}
		case *json.RawMessage:
			*d = append((*d)[:0], raw...)
			return nil
		}
	}
	v, err := t.Decode(raw)
	if err != nil {
		return err
	}
	return assign(dest, v, raw, t)
}

func assign(dest any, v any, raw []byte, t *DataType) error {
	switch d := dest.(type) {
	case *any:
		*d = v
		return nil
	case *json.RawMessage:
		*d = append((*d)[:0], raw...)
		return nil
	case scanner:
		return d.Scan(v)
	}
	rv := reflect.ValueOf(dest)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("destination %T is not a non-nil pointer", dest)
	}
	if rv.Elem().Kind() == reflect.Pointer {
		// **T: NULL sets nil, anything else a fresh *T.
		if v == nil {
			rv.Elem().Set(reflect.Zero(rv.Elem().Type()))
			return nil
		}
		fresh := reflect.New(rv.Elem().Type().Elem())
		if err := assign(fresh.Interface(), v, raw, t); err != nil {
			return err
		}
		rv.Elem().Set(fresh)
		return nil
	}
	if v == nil {
		return fmt.Errorf("value is NULL: scan into *any, a pointer to a pointer (**%s) or a sql.Null type", rv.Elem().Type())
	}
	switch d := dest.(type) {
	case *string:
		*d = textOf(v, raw)
		return nil
	case *bool:
		if b, ok := v.(bool); ok {
			*d = b
			return nil
		}
	case *int64:
		if n, ok := v.(int64); ok {
			*d = n
			return nil
		}
	case *int:
		if n, ok := v.(int64); ok && n >= math.MinInt && n <= math.MaxInt {
			*d = int(n)
			return nil
		}
	case *int32:
		if n, ok := v.(int64); ok && n >= math.MinInt32 && n <= math.MaxInt32 {
			*d = int32(n)
			return nil
		}
	case *int16:
		if n, ok := v.(int64); ok && n >= math.MinInt16 && n <= math.MaxInt16 {
			*d = int16(n)
			return nil
		}
	case *int8:
		if n, ok := v.(int64); ok && n >= math.MinInt8 && n <= math.MaxInt8 {
			*d = int8(n)
			return nil
		}
	case *float64:
		switch x := v.(type) {
		case float64:
			*d = x
			return nil
		case int64:
			*d = float64(x)
			return nil
		case *big.Rat:
			*d, _ = x.Float64()
			return nil
		}
	case *float32:
		if f, ok := v.(float64); ok {
			*d = float32(f)
			return nil
		}
	case *big.Rat:
		switch x := v.(type) {
		case *big.Rat:
			d.Set(x)
			return nil
		case int64:
			d.SetInt64(x)
			return nil
		}
	case *big.Int:
		if n, ok := v.(int64); ok {
			d.SetInt64(n)
			return nil
		}
		if r, ok := v.(*big.Rat); ok && r.IsInt() {
			d.Set(r.Num())
			return nil
		}
	case *time.Time:
		if tm, ok := v.(time.Time); ok {
			*d = tm
			return nil
		}
	case *[]byte:
		switch x := v.(type) {
		case []byte:
			*d = x
			return nil
		case string:
			*d = []byte(x)
			return nil
		}
	case *[]any:
		if a, ok := v.([]any); ok {
			*d = a
			return nil
		}
	case *map[string]any:
		switch x := v.(type) {
		case map[string]any:
			*d = x
			return nil
		case Struct:
			m := make(map[string]any, len(x))
			for _, f := range x {
				m[f.Name] = f.Value
			}
			*d = m
			return nil
		}
	case *Struct:
		if s, ok := v.(Struct); ok {
			*d = s
			return nil
		}
	}
	return fmt.Errorf("cannot scan %s into %T", t.Name, dest)
}

// textOf is a value's text: strings as they are, decimals exactly as sent, everything else its JSON text.
func textOf(v any, raw []byte) string {
	if s, ok := v.(string); ok {
		return s
	}
	if len(raw) > 0 && raw[0] == '"' {
		if s, err := jsonString(raw); err == nil {
			return s
		}
	}
	return string(raw)
}
