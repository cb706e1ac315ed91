package plan

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
)

// Summary counts the changes by action.
func (p Plan) Summary() string {
	counts := map[string]int{}
	for _, c := range p.Changes {
		counts[c.Action]++
	}
	parts := []string{
		fmt.Sprintf("%d to create", counts[ActionCreate]),
		fmt.Sprintf("%d to update", counts[ActionUpdate]),
		fmt.Sprintf("%d unchanged", counts[ActionNoChange]),
	}
	if n := counts[ActionDelete]; n > 0 {
		parts = append(parts, fmt.Sprintf("%d to delete", n))
	}
	if n := counts[ActionOrphan]; n > 0 {
		parts = append(parts, fmt.Sprintf("%d to release (left in Okta)", n))
	}
	if n := counts[ActionRefused]; n > 0 {
		parts = append(parts, fmt.Sprintf("%d refused", n))
	}
	if n := counts[ActionBlocked]; n > 0 {
		parts = append(parts, fmt.Sprintf("%d blocked", n))
	}
	return "Plan: " + strings.Join(parts, ", ") + "."
}

// WriteText prints the plan for a terminal.
func (p Plan) WriteText(w io.Writer) error {
	var b strings.Builder
	for _, c := range p.Changes {
		fmt.Fprintf(&b, "%s %s/%s: %s\n", c.Kind, c.Namespace, c.Name, c.headline())
		for _, f := range c.Fields {
			fmt.Fprintf(&b, "    ~ %s: %s -> %s\n", f.Path, show(f.Before), show(f.After))
		}
		for _, wr := range c.Writes {
			fmt.Fprintf(&b, "    %s %s\n", wr.Method, wr.Path)
			if wr.Method == http.MethodPost && wr.Body != nil {
				for _, line := range flatten(toMap(wr.Body)) {
					fmt.Fprintf(&b, "      + %s\n", line)
				}
			}
		}
	}
	fmt.Fprintln(&b, p.Summary())
	_, err := io.WriteString(w, b.String())
	return err
}

func (c Change) headline() string {
	switch c.Action {
	case ActionCreate:
		return "create"
	case ActionUpdate:
		return "update " + c.OktaID
	case ActionNoChange:
		return "no change (" + c.OktaID + ")"
	case ActionDelete:
		return "delete " + c.OktaID
	case ActionOrphan:
		return "release, leaving " + orNothing(c.OktaID) + " in Okta"
	default:
		return c.Action + ": " + c.Reason + ": " + c.Message
	}
}

// WriteJSON prints the plan for programs.
func (p Plan) WriteJSON(w io.Writer) error {
	out := struct {
		Plan
		HasChanges  bool   `json:"hasChanges"`
		HasRefusals bool   `json:"hasRefusals"`
		Summary     string `json:"summary"`
	}{p, p.HasChanges(), p.HasRefusals(), p.Summary()}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// WriteMarkdown prints the plan as a pull-request comment: a table of the
// objects, then the details of each change.
func (p Plan) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### okta-assurance plan\n\n**%s**\n\n", p.Summary())
	fmt.Fprintln(&b, "| Object | Action | Okta ID | Detail |")
	fmt.Fprintln(&b, "| --- | --- | --- | --- |")
	for _, c := range p.Changes {
		detail := ""
		switch c.Action {
		case ActionUpdate:
			paths := make([]string, 0, len(c.Fields))
			for _, f := range c.Fields {
				paths = append(paths, "`"+f.Path+"`")
			}
			detail = strings.Join(paths, ", ")
		case ActionRefused, ActionBlocked:
			detail = c.Reason + ": " + strings.ReplaceAll(c.Message, "|", `\|`)
		}
		fmt.Fprintf(&b, "| %s `%s/%s` | %s | %s | %s |\n", c.Kind, c.Namespace, c.Name, c.Action, c.OktaID, detail)
	}
	for _, c := range p.Changes {
		if len(c.Writes) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n<details><summary>%s %s/%s: %s</summary>\n\n```diff\n", c.Kind, c.Namespace, c.Name, c.Action)
		for _, f := range c.Fields {
			fmt.Fprintf(&b, "- %s: %s\n+ %s: %s\n", f.Path, show(f.Before), f.Path, show(f.After))
		}
		for _, wr := range c.Writes {
			fmt.Fprintf(&b, "  %s %s\n", wr.Method, wr.Path)
			if wr.Method == http.MethodPost && wr.Body != nil {
				for _, line := range flatten(toMap(wr.Body)) {
					fmt.Fprintf(&b, "+ %s\n", line)
				}
			}
		}
		fmt.Fprintln(&b, "```\n\n</details>")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func show(v any) string {
	if v == nil {
		return "(absent)"
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(raw)
}

// flatten lists a body's leaves as "path: value", sorted.
func flatten(m map[string]any) []string {
	var out []string
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch t := v.(type) {
		case map[string]any:
			for k, child := range t {
				walk(join(path, k), child)
			}
		case []any:
			for i, child := range t {
				walk(fmt.Sprintf("%s[%d]", path, i), child)
			}
		default:
			out = append(out, path+": "+show(v))
		}
	}
	walk("", m)
	sort.Strings(out)
	return out
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func orNothing(id string) string {
	if id == "" {
		return "nothing"
	}
	return id
}
