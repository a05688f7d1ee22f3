package gateway

import (
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"
)

// A small scanner over JSON text the gateway wrote: it splits arrays and objects into their raw
// members without building values, so a row is decoded once, column by column, by its type.
// Anything unusual (escapes in strings) falls back to encoding/json.

var errSyntax = errors.New("gateway: malformed JSON in result")

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// valueEnd returns the index just past the JSON value starting at b[i].
func valueEnd(b []byte, i int) (int, error) {
	if i >= len(b) {
		return 0, errSyntax
	}
	switch b[i] {
	case '"':
		for j := i + 1; j < len(b); j++ {
			switch b[j] {
			case '\\':
				j++
			case '"':
				return j + 1, nil
			}
		}
		return 0, errSyntax
	case '[', '{':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				end, err := valueEnd(b, j)
				if err != nil {
					return 0, err
				}
				j = end - 1
			case '[', '{':
				depth++
			case ']', '}':
				depth--
				if depth == 0 {
					return j + 1, nil
				}
			}
		}
		return 0, errSyntax
	default:
		j := i
		for j < len(b) && b[j] != ',' && b[j] != ']' && b[j] != '}' && b[j] != ' ' && b[j] != '\n' && b[j] != '\r' && b[j] != '\t' {
			j++
		}
		if j == i {
			return 0, errSyntax
		}
		return j, nil
	}
}

// splitArray appends the raw elements of the JSON array b to dst.
func splitArray(b []byte, dst [][]byte) ([][]byte, error) {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '[' {
		return dst, errSyntax
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == ']' {
		return dst, nil
	}
	for {
		end, err := valueEnd(b, i)
		if err != nil {
			return dst, err
		}
		dst = append(dst, b[i:end])
		i = skipSpace(b, end)
		if i >= len(b) {
			return dst, errSyntax
		}
		if b[i] == ']' {
			return dst, nil
		}
		if b[i] != ',' {
			return dst, errSyntax
		}
		i = skipSpace(b, i+1)
	}
}

// eachMember calls fn with every member of the JSON object b, in order.
func eachMember(b []byte, fn func(key string, raw []byte) error) error {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return errSyntax
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return nil
	}
	for {
		kEnd, err := valueEnd(b, i)
		if err != nil || b[i] != '"' {
			return errSyntax
		}
		key, err := jsonString(b[i:kEnd])
		if err != nil {
			return err
		}
		i = skipSpace(b, kEnd)
		if i >= len(b) || b[i] != ':' {
			return errSyntax
		}
		i = skipSpace(b, i+1)
		vEnd, err := valueEnd(b, i)
		if err != nil {
			return err
		}
		if err := fn(key, b[i:vEnd]); err != nil {
			return err
		}
		i = skipSpace(b, vEnd)
		if i >= len(b) {
			return errSyntax
		}
		if b[i] == '}' {
			return nil
		}
		if b[i] != ',' {
			return errSyntax
		}
		i = skipSpace(b, i+1)
	}
}

func isNull(raw []byte) bool {
	return len(raw) == 4 && raw[0] == 'n' && raw[1] == 'u' && raw[2] == 'l' && raw[3] == 'l'
}

// jsonString decodes a JSON string literal; the common case (no escapes, valid UTF-8) is one copy.
func jsonString(raw []byte) (string, error) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return "", fmt.Errorf("gateway: expected a JSON string, got %.40s", raw)
	}
	inner := raw[1 : len(raw)-1]
	plain := true
	for _, c := range inner {
		if c == '\\' || c < 0x20 {
			plain = false
			break
		}
	}
	if plain && utf8.Valid(inner) {
		return string(inner), nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", err
	}
	return s, nil
}
