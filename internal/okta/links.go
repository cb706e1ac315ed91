package okta

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// nextLink returns the rel="next" URL of the Link headers, or nil. Okta
// sends one Link header per relation (docs/okta-api-behaviour.md §4.2); a
// single header with comma-separated links is accepted too.
func nextLink(h http.Header) string {
	for _, header := range h.Values("Link") {
		for _, link := range strings.Split(header, ",") {
			if target, ok := linkWithRel(link, "next"); ok {
				return target
			}
		}
	}
	return ""
}

// linkWithRel parses `<url>; rel="next"` and reports whether rel matches.
func linkWithRel(link, rel string) (string, bool) {
	parts := strings.Split(link, ";")
	target := strings.TrimSpace(parts[0])
	if !strings.HasPrefix(target, "<") || !strings.HasSuffix(target, ">") {
		return "", false
	}
	for _, param := range parts[1:] {
		key, value, ok := strings.Cut(strings.TrimSpace(param), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(key), "rel") {
			continue
		}
		for _, r := range strings.Fields(strings.Trim(strings.TrimSpace(value), `"`)) {
			if r == rel {
				return target[1 : len(target)-1], true
			}
		}
	}
	return "", false
}

// sameOrigin parses a next link and checks that it points at the org, so
// that a forged or misconfigured Link header cannot make the client send its
// credentials to another host.
func (c *Client) sameOrigin(raw string) (*url.URL, error) {
	u, err := c.base.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("okta: invalid next link: %w", err)
	}
	if u.Scheme != c.base.Scheme || u.Host != c.base.Host {
		return nil, fmt.Errorf("okta: next link points to %s://%s, not the org", u.Scheme, u.Host)
	}
	return u, nil
}
