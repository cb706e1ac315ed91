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

// placeRule gives rule the priority p, moving the policy's other rules as
// PlaceRule says.
func placeRule(pol *accessPolicy, rule *policyRule, p int) {
	others := make([]*policyRule, 0, len(pol.rules))
	for _, r := range pol.rules {
		if r != rule && !r.system {
			others = append(others, r)
		}
	}
	sort.SliceStable(others, func(i, j int) bool { return others[i].priority < others[j].priority })
	priorities := make([]int, len(others))
	for i, r := range others {
		priorities[i] = r.priority
	}
	var moved []int
	rule.priority, moved = PlaceRule(priorities, p)
	for i, r := range others {
		r.priority = moved[i]
	}
}

// PlaceRule is where Okta puts a rule given priority p in an app sign-in
// policy whose other (non-system) rules have the priorities others, sorted
// ascending: the rule's priority, and the others' new ones in the same
// order. A priority is echoed exactly as sent (docs/okta-api-behaviour.md,
// R25) and gaps stay: a real list reads 5…18, 20, 99 (tfprov
// keep_me_signed_in, oie-00 #9), so priorities are not compacted. When p is
// taken, the rule is inserted there and the run of rules that would collide
// moves down by one, as the recorded GETs after moves show
// (TestAccResourceOktaAppSignOnPolicyRules_crud #46-#54). The catch-all rule
// stays at 99; only when a shift would reach it are the other rules
// renumbered 0, 1, 2… in their order.
func PlaceRule(others []int, p int) (int, []int) {
	moved := append([]int(nil), others...)
	at := sort.SearchInts(others, p)
	next := p
	for i := at; i < len(moved); i++ {
		if moved[i] > next {
			return p, moved
		}
		if next+1 >= catchAllPriority {
			// Renumber in order: the rules before the new one, the new
			// one, the rules after it.
			for j := range moved {
				moved[j] = j
				if j >= at {
					moved[j] = j + 1
				}
			}
			return at, moved
		}
		moved[i] = next + 1
		next++
	}
	return p, moved
}
