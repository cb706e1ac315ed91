package oktasim

import "sort"

// requestedPriority returns the priority sent in body, or, when none was
// sent, the slot after the last non-system rule.
func requestedPriority(body map[string]any, pol *accessPolicy) int {
	if n, ok := intValue(body["priority"]); ok {
		return n
	}
	next := 0
	for _, r := range pol.rules {
		if !r.system && r.priority >= next {
			next = r.priority + 1
		}
	}
	return min(next, catchAllPriority-1)
}

// placeRule gives rule the priority p. A priority is echoed exactly as
// sent (docs/okta-api-behaviour.md, R25) and gaps stay: a real list reads
// 5…18, 20, 99 (tfprov keep_me_signed_in, oie-00 #9), so priorities are not
// compacted. When p is taken, the rule is inserted there and the run of rules
// that would collide moves down by one, as the recorded GETs after moves show
// (TestAccResourceOktaAppSignOnPolicyRules_crud #46-#54). The catch-all rule
// stays at 99; only when a shift would reach it are the other rules renumbered
// 0, 1, 2… in their order.
func placeRule(pol *accessPolicy, rule *policyRule, p int) {
	others := make([]*policyRule, 0, len(pol.rules))
	for _, r := range pol.rules {
		if r != rule && !r.system {
			others = append(others, r)
		}
	}
	sort.SliceStable(others, func(i, j int) bool { return others[i].priority < others[j].priority })
	at := sort.Search(len(others), func(i int) bool { return others[i].priority >= p })
	inOrder := append(append(append(make([]*policyRule, 0, len(others)+1), others[:at]...), rule), others[at:]...)

	rule.priority = p
	next := p
	for _, r := range others[at:] {
		if r.priority > next {
			return
		}
		if next+1 >= catchAllPriority {
			for i, x := range inOrder {
				x.priority = i
			}
			return
		}
		r.priority = next + 1
		next++
	}
}
