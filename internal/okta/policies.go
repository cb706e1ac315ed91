package okta

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

const policiesPath = "/api/v1/policies"

// maxPages bounds how many Link pages one list call follows, so that a
// server that always answers with a next link cannot loop the client.
const maxPages = 1000

// PolicyListOptions filter ListPolicies.
type PolicyListOptions struct {
	// Type is required, e.g. PolicyTypeAccess.
	Type string
	// Q filters by name prefix.
	Q string
	// Status is ACTIVE or INACTIVE; empty means both.
	Status string
	// Limit is the page size; 0 leaves it to Okta.
	Limit int
}

func (o PolicyListOptions) query() url.Values {
	q := url.Values{"type": {o.Type}}
	if o.Q != "" {
		q.Set("q", o.Q)
	}
	if o.Status != "" {
		q.Set("status", o.Status)
	}
	if o.Limit > 0 {
		q.Set("limit", strconv.Itoa(o.Limit))
	}
	return q
}

// ListPolicies returns every policy of a type, following Link rel="next"
// pages (docs/okta-api-behaviour.md §3.1).
func (c *Client) ListPolicies(ctx context.Context, opts PolicyListOptions) ([]Policy, error) {
	if opts.Type == "" {
		return nil, errors.New("okta: ListPolicies needs a policy type")
	}
	op := call{method: http.MethodGet, path: policiesPath, query: opts.query(), idempotent: true}
	var all []Policy
	for range maxPages {
		var page []Policy
		header, err := c.do(ctx, op, &page)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		next := nextLink(header)
		if next == "" || len(page) == 0 {
			return all, nil
		}
		if op.next, err = c.sameOrigin(next); err != nil {
			return nil, err
		}
	}
	return nil, fmt.Errorf("okta: policy list has more than %d pages", maxPages)
}

// GetPolicy returns one policy; IsNotFound(err) if it is gone.
func (c *Client) GetPolicy(ctx context.Context, id string) (*Policy, error) {
	var out Policy
	_, err := c.do(ctx, call{method: http.MethodGet, path: policyPath(id), idempotent: true}, &out)
	return orNil(&out, err)
}

func policyPath(id string) string {
	return policiesPath + "/" + url.PathEscape(id)
}
