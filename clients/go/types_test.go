package gateway

import (
	"math"
	"math/big"
	"reflect"
	"testing"
	"time"
)

func TestParseTypeNestedAndAmbiguousStructNames(t *testing.T) {
	typ, err := ParseType("struct<a:int,b:c:string,n:array<map<string,decimal(38,18)>>,e:struct<>>")
	if err != nil {
		t.Fatal(err)
	}
	if typ.Kind != KindStruct || len(typ.Fields) != 4 {
		t.Fatalf("%+v", typ)
	}
	if typ.Fields[1].Name != "b:c" || typ.Fields[1].Type.Kind != KindString {
		t.Errorf("field with ':' in its name: %+v", typ.Fields[1])
	}
	m := typ.Fields[2].Type.Elem
	if m.Kind != KindMap || m.Key.Kind != KindString || m.Value.Kind != KindDecimal || m.Value.Precision != 38 || m.Value.Scale != 18 {
		t.Errorf("array<map<...>>: %+v", m)
	}
	if typ.Fields[3].Type.Kind != KindStruct || len(typ.Fields[3].Type.Fields) != 0 {
		t.Errorf("empty struct: %+v", typ.Fields[3].Type)
	}
	for name, kind := range map[string]Kind{"interval day to second": KindInterval, "interval year": KindInterval,
		"varchar(10)": KindString, "timestamp_ntz": KindTimestampNTZ, "variant": KindOther, "void": KindVoid, "geometry(4326)": KindOther} {
		if typ, err := ParseType(name); err != nil || typ.Kind != kind || typ.Name != name {
			t.Errorf("%s: %+v %v", name, typ, err)
		}
	}
	if _, err := ParseType("array<int"); err == nil {
		t.Error("unclosed array accepted")
	}
}

func decode(t *testing.T, typ, raw string) any {
	t.Helper()
	dt, err := ParseType(typ)
	if err != nil {
		t.Fatal(err)
	}
	v, err := dt.Decode([]byte(raw))
	if err != nil {
		t.Fatalf("%s %s: %v", typ, raw, err)
	}
	return v
}

func TestDecodeEveryDocumentedForm(t *testing.T) {
	rat := func(s string) *big.Rat { r, _ := new(big.Rat).SetString(s); return r }
	cases := []struct {
		typ, raw string
		want     any
	}{
		{"bigint", "9007199254740993", int64(9007199254740993)},
		{"bigint", "-9223372036854775808", int64(math.MinInt64)},
		{"int", "null", nil},
		{"boolean", "true", true},
		{"double", "1.0E300", 1e300},
		{"double", `"-Infinity"`, math.Inf(-1)},
		{"decimal(38,18)", `"-12345678901234567890.123456789012345678"`, rat("-12345678901234567890.123456789012345678")},
		{"string", `"h\u00e9llo \"q\"\n"`, "héllo \"q\"\n"},
		{"binary", `"AQID"`, []byte{1, 2, 3}},
		{"date", `"2024-01-31"`, time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC)},
		{"date", `"+10000-01-01"`, time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"date", `"-0001-01-01"`, time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"timestamp", `"2024-01-31T12:34:56.123456Z"`, time.Date(2024, 1, 31, 12, 34, 56, 123456000, time.UTC)},
		{"timestamp", `"1969-12-31T23:59:59.999999Z"`, time.Date(1969, 12, 31, 23, 59, 59, 999999000, time.UTC)},
		{"timestamp", `"2024-01-31T12:34:56Z"`, time.Date(2024, 1, 31, 12, 34, 56, 0, time.UTC)},
		{"timestamp_ntz", `"2024-01-31T12:34:56.5"`, time.Date(2024, 1, 31, 12, 34, 56, 500000000, time.UTC)},
		{"interval day to second", `"PT26H3M4.5S"`, "PT26H3M4.5S"},
		{"array<int>", "[1,null,3]", []any{int64(1), nil, int64(3)}},
		{"map<int,string>", `{"1":"a","2":null}`, map[string]any{"1": "a", "2": nil}},
		{"struct<b:string,a:int>", `{"b":"x","a":1}`, Struct{{"b", "x"}, {"a", int64(1)}}},
		{"array<struct<x:array<bigint>>>", `[{"x":[9007199254740993]},null]`, []any{Struct{{"x", []any{int64(9007199254740993)}}}, nil}},
		{"void", "null", nil},
	}
	for _, c := range cases {
		got := decode(t, c.typ, c.raw)
		if r, ok := c.want.(*big.Rat); ok {
			if g, ok := got.(*big.Rat); !ok || g.Cmp(r) != 0 {
				t.Errorf("%s %s: got %v", c.typ, c.raw, got)
			}
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s %s: got %#v, want %#v", c.typ, c.raw, got, c.want)
		}
	}
	if v := decode(t, "double", `"NaN"`).(float64); !math.IsNaN(v) {
		t.Errorf("NaN: %v", v)
	}
	for typ, raw := range map[string]string{"bigint": "1.5", "timestamp": `"2024-01-31T12:34:56"`, "date": `"2024-1-31"`, "boolean": "1", "binary": `"@@"`} {
		dt, _ := ParseType(typ)
		if _, err := dt.Decode([]byte(raw)); err == nil {
			t.Errorf("%s %s accepted", typ, raw)
		}
	}
}
