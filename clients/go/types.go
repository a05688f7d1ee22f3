package gateway

import (
	"fmt"
	"strconv"
	"strings"
)

// Column is one result column as the gateway describes it.
type Column struct {
	Name     string `json:"name"`
	Type     string `json:"type"` // Spark's type name: "bigint", "decimal(38,18)", "array<string>", "struct<a:int>"
	Nullable bool   `json:"nullable"`
}

// Kind is the family of a Spark SQL type.
type Kind int

// Kinds of Spark SQL types. KindOther covers anything this client does not know (its values come
// back as the JSON value's natural Go form).
const (
	KindOther Kind = iota
	KindBoolean
	KindInteger // tinyint, smallint, int, bigint
	KindFloat   // float, double
	KindDecimal
	KindString // string, char(n), varchar(n)
	KindBinary
	KindDate
	KindTimestamp
	KindTimestampNTZ
	KindInterval
	KindArray
	KindMap
	KindStruct
	KindVoid
)

// DataType is a parsed Spark SQL type name.
type DataType struct {
	Name      string // the type name as the gateway gave it
	Kind      Kind
	Precision int         // decimal
	Scale     int         // decimal
	Elem      *DataType   // array element
	Key       *DataType   // map key
	Value     *DataType   // map value
	Fields    []FieldType // struct fields in declared order
}

// FieldType is one field of a struct type.
type FieldType struct {
	Name string
	Type *DataType
}

// ParseType parses the gateway's type names (Spark's simple strings). Unknown names give KindOther.
func ParseType(name string) (*DataType, error) {
	p := typeParser{s: name}
	t, err := p.parse(0)
	if err != nil {
		return nil, err
	}
	if p.pos != len(p.s) {
		return nil, fmt.Errorf("gateway: unexpected %q in type %q", p.s[p.pos:], name)
	}
	return t, nil
}

type typeParser struct {
	s   string
	pos int
}

func (p *typeParser) parse(depth int) (*DataType, error) {
	if depth > 64 {
		return nil, fmt.Errorf("gateway: type %q nests too deeply", p.s)
	}
	start := p.pos
	for p.pos < len(p.s) && (isWordByte(p.s[p.pos]) || p.s[p.pos] == ' ' && p.intervalWord(start)) {
		p.pos++
	}
	word := strings.ToLower(strings.TrimSpace(p.s[start:p.pos]))
	t := &DataType{}
	switch {
	case word == "boolean":
		t.Kind = KindBoolean
	case word == "tinyint" || word == "smallint" || word == "int" || word == "bigint" ||
		word == "byte" || word == "short" || word == "integer" || word == "long":
		t.Kind = KindInteger
	case word == "float" || word == "double" || word == "real":
		t.Kind = KindFloat
	case word == "decimal":
		t.Kind, t.Precision, t.Scale = KindDecimal, 10, 0
		if p.peek('(') {
			args, err := p.numbers()
			if err != nil {
				return nil, err
			}
			if len(args) > 0 {
				t.Precision = args[0]
			}
			if len(args) > 1 {
				t.Scale = args[1]
			}
		}
	case word == "string" || word == "char" || word == "varchar":
		t.Kind = KindString
		if p.peek('(') {
			if _, err := p.numbers(); err != nil {
				return nil, err
			}
		}
	case word == "binary":
		t.Kind = KindBinary
	case word == "date":
		t.Kind = KindDate
	case word == "timestamp" || word == "timestamp_ltz":
		t.Kind = KindTimestamp
	case word == "timestamp_ntz":
		t.Kind = KindTimestampNTZ
	case strings.HasPrefix(word, "interval"):
		t.Kind = KindInterval
	case word == "void" || word == "null":
		t.Kind = KindVoid
	case word == "array":
		t.Kind = KindArray
		if err := p.expect('<'); err != nil {
			return nil, err
		}
		elem, err := p.parse(depth + 1)
		if err != nil {
			return nil, err
		}
		t.Elem = elem
		if err := p.expect('>'); err != nil {
			return nil, err
		}
	case word == "map":
		t.Kind = KindMap
		if err := p.expect('<'); err != nil {
			return nil, err
		}
		k, err := p.parse(depth + 1)
		if err != nil {
			return nil, err
		}
		if err := p.expect(','); err != nil {
			return nil, err
		}
		v, err := p.parse(depth + 1)
		if err != nil {
			return nil, err
		}
		t.Key, t.Value = k, v
		if err := p.expect('>'); err != nil {
			return nil, err
		}
	case word == "struct":
		t.Kind = KindStruct
		if err := p.expect('<'); err != nil {
			return nil, err
		}
		for !p.peek('>') {
			if len(t.Fields) > 0 {
				if err := p.expect(','); err != nil {
					return nil, err
				}
			}
			name, ft, err := p.field(depth)
			if err != nil {
				return nil, err
			}
			t.Fields = append(t.Fields, FieldType{Name: name, Type: ft})
		}
		p.pos++
	default:
		t.Kind = KindOther
		// Skip a parenthesised or angle-bracketed argument list we do not know.
		if p.peek('(') || p.peek('<') {
			level := 0
			for p.pos < len(p.s) {
				c := p.s[p.pos]
				if c == '(' || c == '<' {
					level++
				} else if c == ')' || c == '>' {
					level--
				}
				p.pos++
				if level == 0 {
					break
				}
			}
		}
	}
	t.Name = p.s[start:p.pos]
	return t, nil
}

// field reads "name:type" inside struct<...>. Spark does not quote field names in these type
// names, so a name may itself contain ':' (struct<b:c:string> is the field "b:c"): each ':' is
// tried in turn until the rest parses as a type followed by ',' or '>'.
func (p *typeParser) field(depth int) (string, *DataType, error) {
	var firstErr error
	for from := p.pos; ; {
		colon := strings.IndexByte(p.s[from:], ':')
		if colon < 0 {
			if firstErr == nil {
				firstErr = fmt.Errorf("gateway: struct field without ':' in type %q", p.s)
			}
			return "", nil, firstErr
		}
		try := typeParser{s: p.s, pos: from + colon + 1}
		ft, err := try.parse(depth + 1)
		if err == nil && (try.peek(',') || try.peek('>')) {
			name := p.s[p.pos : from+colon]
			p.pos = try.pos
			return name, ft, nil
		}
		if firstErr == nil && err != nil {
			firstErr = err
		}
		from += colon + 1
	}
}

// intervalWord lets "interval day to second" run on over spaces.
func (p *typeParser) intervalWord(start int) bool {
	return strings.HasPrefix(strings.ToLower(p.s[start:]), "interval")
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

func (p *typeParser) peek(c byte) bool {
	return p.pos < len(p.s) && p.s[p.pos] == c
}

func (p *typeParser) expect(c byte) error {
	if !p.peek(c) {
		return fmt.Errorf("gateway: expected %q at %d in type %q", c, p.pos, p.s)
	}
	p.pos++
	return nil
}

// numbers reads "(n[,m...])".
func (p *typeParser) numbers() ([]int, error) {
	end := strings.IndexByte(p.s[p.pos:], ')')
	if end < 0 {
		return nil, fmt.Errorf("gateway: unclosed '(' in type %q", p.s)
	}
	var out []int
	for _, part := range strings.Split(p.s[p.pos+1:p.pos+end], ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil {
			return nil, fmt.Errorf("gateway: bad number %q in type %q", part, p.s)
		}
		out = append(out, n)
	}
	p.pos += end + 1
	return out, nil
}
