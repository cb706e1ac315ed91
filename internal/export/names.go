package export

import (
	"sort"
	"strconv"
	"strings"
)

// maxNameLength keeps object names valid DNS-1123 labels, which every
// Kubernetes name and label value accepts.
const maxNameLength = 63

// dnsName turns an Okta display name into a DNS-1123 label: lower case,
// every run of other characters than a-z and 0-9 a single '-', at most 63
// characters, fallback when nothing is left.
func dnsName(s, fallback string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	name := truncate(b.String(), maxNameLength)
	if name == "" {
		return fallback
	}
	return name
}

// truncate cuts s to at most n bytes without a trailing '-'.
func truncate(s string, n int) string {
	if len(s) > n {
		s = s[:n]
	}
	return strings.TrimRight(s, "-")
}

// withSuffix is base-suffix, base shortened so that the whole fits.
func withSuffix(base, suffix string) string {
	if suffix == "" {
		return base
	}
	return truncate(base, maxNameLength-len(suffix)-1) + "-" + suffix
}

// nameRequest asks for the object name of one Okta object: Base is the
// name derived from its Okta name, Qualifier (optional) tells apart
// objects with the same base (a platform, a variableName), ID is its Okta
// ID, the last resort.
type nameRequest struct {
	ID        string
	Base      string
	Qualifier string
}

// uniqueNames gives each request a name unique among them, by Okta ID:
// the base when no other request has it; otherwise base-qualifier when
// that tells the requests of the base apart, else base-<lower-case Okta
// ID>; a name still taken gets -2, -3, … The result depends only on the
// requests, not on their order, so a re-export names objects the same way.
func uniqueNames(reqs []nameRequest) map[string]string {
	sorted := append([]nameRequest(nil), reqs...)
	sort.Slice(sorted, func(i, j int) bool {
		a, b := sorted[i], sorted[j]
		if a.Base != b.Base {
			return a.Base < b.Base
		}
		if a.Qualifier != b.Qualifier {
			return a.Qualifier < b.Qualifier
		}
		return a.ID < b.ID
	})
	bases := map[string]int{}
	qualified := map[[2]string]int{}
	for _, r := range sorted {
		bases[r.Base]++
		qualified[[2]string{r.Base, r.Qualifier}]++
	}
	candidates := make([]string, len(sorted))
	for i, r := range sorted {
		switch {
		case bases[r.Base] == 1:
			candidates[i] = r.Base
		case r.Qualifier != "" && qualified[[2]string{r.Base, r.Qualifier}] == 1:
			candidates[i] = withSuffix(r.Base, r.Qualifier)
		default:
			candidates[i] = withSuffix(r.Base, dnsName(r.ID, "x"))
		}
	}
	// A qualified name may equal another request's base: those go first.
	used := map[string]bool{}
	for i, r := range sorted {
		if candidates[i] == r.Base {
			used[r.Base] = true
		}
	}
	out := make(map[string]string, len(sorted))
	for i, r := range sorted {
		name := candidates[i]
		if name != r.Base {
			for n := 2; used[name]; n++ {
				name = withSuffix(candidates[i], strconv.Itoa(n))
			}
			used[name] = true
		}
		out[r.ID] = name
	}
	return out
}
