package oktasim

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// filterExpr is a parsed SCIM filter (docs/okta-api-behaviour.md §4.1):
// attribute comparisons combined with and, or, not and parentheses.
type filterExpr interface {
	match(event map[string]any) bool
}

type andExpr struct{ left, right filterExpr }
type orExpr struct{ left, right filterExpr }
type notExpr struct{ inner filterExpr }

type compareExpr struct {
	path  []string
	op    string
	value any // string, bool, float64 or nil
}

func (e andExpr) match(ev map[string]any) bool { return e.left.match(ev) && e.right.match(ev) }
func (e orExpr) match(ev map[string]any) bool  { return e.left.match(ev) || e.right.match(ev) }
func (e notExpr) match(ev map[string]any) bool { return !e.inner.match(ev) }

// match is true when any value at the path (arrays fan out, so
// target.id matches any target) satisfies the comparison.
func (e compareExpr) match(ev map[string]any) bool {
	values := resolvePath(ev, e.path)
	if e.op == "pr" {
		for _, v := range values {
			if v != nil {
				return true
			}
		}
		return false
	}
	for _, v := range values {
		if compareValue(v, e.op, e.value) {
			return true
		}
	}
	return false
}

func resolvePath(v any, path []string) []any {
	if len(path) == 0 {
		if arr, ok := v.([]any); ok {
			return arr
		}
		return []any{v}
	}
	switch t := v.(type) {
	case map[string]any:
		return resolvePath(t[path[0]], path[1:])
	case []any:
		var out []any
		for _, item := range t {
			out = append(out, resolvePath(item, path)...)
		}
		return out
	default:
		return nil
	}
}

func compareValue(actual any, op string, want any) bool {
	if op == "eq" || op == "ne" {
		equal := fmt.Sprint(actual) == fmt.Sprint(want) && (actual == nil) == (want == nil)
		return equal == (op == "eq")
	}
	a, okA := actual.(string)
	w, okW := want.(string)
	if !okA || !okW {
		return false
	}
	switch op {
	case "sw":
		return strings.HasPrefix(a, w)
	case "ew":
		return strings.HasSuffix(a, w)
	case "co":
		return strings.Contains(a, w)
	case "gt":
		return a > w
	case "ge":
		return a >= w
	case "lt":
		return a < w
	case "le":
		return a <= w
	}
	return false
}

// attributeAliases maps spellings the guide uses onto the event field.
// The guide filters with event_type (examples/docs-004) while the filter
// reference documents eventType (docs/okta-api-behaviour.md §4.4); both are
// accepted so that the guide's curl works.
var attributeAliases = map[string]string{"event_type": "eventType"}

var filterOperators = map[string]bool{"eq": true, "ne": true, "co": true, "sw": true, "ew": true,
	"gt": true, "ge": true, "lt": true, "le": true, "pr": true}

// parseFilter parses a SCIM filter expression.
func parseFilter(s string) (filterExpr, error) {
	toks, err := tokenize(s)
	if err != nil {
		return nil, err
	}
	p := &filterParser{toks: toks}
	expr, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if p.pos != len(p.toks) {
		return nil, fmt.Errorf("unexpected %q", p.toks[p.pos].text)
	}
	return expr, nil
}

type token struct {
	text   string
	quoted bool
}

func tokenize(s string) ([]token, error) {
	var toks []token
	for i := 0; i < len(s); {
		c := rune(s[i])
		switch {
		case unicode.IsSpace(c):
			i++
		case c == '(' || c == ')':
			toks = append(toks, token{text: string(c)})
			i++
		case c == '"':
			str, n, err := readQuoted(s[i:])
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{text: str, quoted: true})
			i += n
		default:
			j := i
			for j < len(s) && !unicode.IsSpace(rune(s[j])) && s[j] != '(' && s[j] != ')' && s[j] != '"' {
				j++
			}
			toks = append(toks, token{text: s[i:j]})
			i = j
		}
	}
	return toks, nil
}

// readQuoted reads a JSON string literal at the start of s.
func readQuoted(s string) (string, int, error) {
	for j := 1; j < len(s); j++ {
		if s[j] == '\\' {
			j++
			continue
		}
		if s[j] == '"' {
			str, err := strconv.Unquote(s[:j+1])
			return str, j + 1, err
		}
	}
	return "", 0, errors.New("unterminated string")
}

type filterParser struct {
	toks []token
	pos  int
}

func (p *filterParser) peekWord(word string) bool {
	return p.pos < len(p.toks) && !p.toks[p.pos].quoted && strings.EqualFold(p.toks[p.pos].text, word)
}

func (p *filterParser) next() (token, error) {
	if p.pos >= len(p.toks) {
		return token{}, errors.New("unexpected end of filter")
	}
	p.pos++
	return p.toks[p.pos-1], nil
}

func (p *filterParser) parseOr() (filterExpr, error) {
	left, err := p.parseAnd()
	for err == nil && p.peekWord("or") {
		p.pos++
		var right filterExpr
		if right, err = p.parseAnd(); err == nil {
			left = orExpr{left, right}
		}
	}
	return left, err
}

func (p *filterParser) parseAnd() (filterExpr, error) {
	left, err := p.parseFactor()
	for err == nil && p.peekWord("and") {
		p.pos++
		var right filterExpr
		if right, err = p.parseFactor(); err == nil {
			left = andExpr{left, right}
		}
	}
	return left, err
}

func (p *filterParser) parseFactor() (filterExpr, error) {
	if p.peekWord("not") {
		p.pos++
		inner, err := p.parseFactor()
		return notExpr{inner}, err
	}
	if p.peekWord("(") {
		p.pos++
		inner, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		if closing, err := p.next(); err != nil || closing.text != ")" || closing.quoted {
			return nil, errors.New("missing )")
		}
		return inner, nil
	}
	return p.parseComparison()
}

func (p *filterParser) parseComparison() (filterExpr, error) {
	attr, err := p.next()
	if err != nil || attr.quoted {
		return nil, errors.New("expected an attribute")
	}
	opTok, err := p.next()
	op := strings.ToLower(opTok.text)
	if err != nil || opTok.quoted || !filterOperators[op] {
		return nil, fmt.Errorf("expected an operator after %q", attr.text)
	}
	name := attr.text
	if alias, ok := attributeAliases[name]; ok {
		name = alias
	}
	if name == "published" {
		return nil, errors.New("published cannot be used in a filter; use since and until")
	}
	expr := compareExpr{path: strings.Split(name, "."), op: op}
	if op == "pr" {
		return expr, nil
	}
	val, err := p.next()
	if err != nil {
		return nil, err
	}
	expr.value, err = literal(val)
	return expr, err
}

func literal(t token) (any, error) {
	if t.quoted {
		return t.text, nil
	}
	switch t.text {
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "null":
		return nil, nil
	}
	if n, err := strconv.ParseFloat(t.text, 64); err == nil {
		return strconv.FormatFloat(n, 'f', -1, 64), nil
	}
	return nil, fmt.Errorf("invalid value %q", t.text)
}
