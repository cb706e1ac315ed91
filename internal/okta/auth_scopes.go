package okta

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"

	"golang.org/x/oauth2"
)

// scopeState is what the token source asks for and what it learned of the
// app's grants. It is safe for concurrent use: a token source replaced by
// invalidate may still be fetching.
type scopeState struct {
	mu sync.Mutex
	// all are the configured scopes, or DefaultScopes.
	all []string
	// explicit: all were configured, and are never narrowed.
	explicit bool
	// current is what the next token request asks for.
	current []string
	// learned is nil before the first token.
	learned *Grants
}

func newScopeState(configured []string) *scopeState {
	s := &scopeState{all: slices.Clone(configured), explicit: len(configured) > 0}
	if !s.explicit {
		s.all = slices.Clone(DefaultScopes)
	}
	s.current = slices.Clone(s.all)
	return s
}

// next returns the scopes the next token request asks for.
func (s *scopeState) next() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.current)
}

// issued records a token issued for asked with the response's scope.
func (s *scopeState) issued(asked []string, responseScope string) {
	granted := strings.Fields(responseScope)
	if len(granted) == 0 {
		granted = slices.Clone(asked)
	}
	var refused []string
	for _, scope := range s.all {
		if !slices.Contains(asked, scope) {
			refused = append(refused, scope)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.current = slices.Clone(asked)
	s.learned = &Grants{Granted: granted, Refused: refused, Explicit: s.explicit}
}

// relearn asks for every scope again if some were left out; it reports
// whether it did.
func (s *scopeState) relearn() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if slices.Equal(s.current, s.all) {
		return false
	}
	s.current = slices.Clone(s.all)
	return true
}

func (s *scopeState) grants() (Grants, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.learned == nil {
		return Grants{}, false
	}
	g := *s.learned
	g.Granted, g.Refused = slices.Clone(g.Granted), slices.Clone(g.Refused)
	return g, true
}

// Token requests an access token for the scopes the source asks for. With
// the default scopes, a refusal with invalid_scope leaves out the optional
// scopes Okta refused and asks again; the narrowed list is kept for the
// next tokens, so that a missing grant costs no failed request per token,
// until RelearnScopes. oauth2.TokenSource has no context, so the requests
// share their own deadline.
func (s *assertionTokenSource) Token() (*oauth2.Token, error) {
	ctx, cancel := context.WithTimeout(context.Background(), s.env.timeout)
	defer cancel()
	asked := s.scopes.next()
	var lastErr error
	// Each narrowing leaves out at least one scope.
	for range len(asked) {
		tok, scope, err := s.tokenFor(ctx, asked)
		if err == nil {
			s.scopes.issued(asked, scope)
			return tok, nil
		}
		lastErr = err
		if asked, err = s.narrow(ctx, asked, err); err != nil {
			return nil, err
		}
	}
	return nil, lastErr
}

// narrow returns the scopes to ask for after Okta refused asked with err,
// or err when nothing may be left out: an explicit list, another error, or
// a refusal of RequiredScope. The optional scopes the refusal names are
// left out; when it names none, probe finds which are granted.
func (s *assertionTokenSource) narrow(ctx context.Context, asked []string, err error) ([]string, error) {
	var apiErr *APIError
	if s.scopes.explicit || !isInvalidScope(err) || !errors.As(err, &apiErr) {
		return nil, err
	}
	named := namedScopes(apiErr.ErrorSummary, asked)
	if len(asked) > 1 && len(named) == len(asked) {
		// A description that names every scope asked (it may echo the
		// request) says nothing about which one was refused.
		named = nil
	}
	switch {
	case slices.Contains(named, RequiredScope) || slices.Equal(asked, []string{RequiredScope}):
		apiErr.MissingScope = RequiredScope
		return nil, err
	case len(named) > 0:
		return slices.DeleteFunc(slices.Clone(asked), func(scope string) bool { return slices.Contains(named, scope) }), nil
	default:
		return s.probe(ctx, asked)
	}
}

// probe finds the scopes of asked that Okta grants after a refusal that
// named none: RequiredScope alone, then each other scope with it, one token
// request each.
func (s *assertionTokenSource) probe(ctx context.Context, asked []string) ([]string, error) {
	granted := []string{RequiredScope}
	if _, _, err := s.tokenFor(ctx, granted); err != nil {
		return nil, err
	}
	for _, scope := range asked {
		if scope == RequiredScope {
			continue
		}
		_, _, err := s.tokenFor(ctx, []string{RequiredScope, scope})
		switch {
		case err == nil:
			granted = append(granted, scope)
		case !isInvalidScope(err):
			return nil, err
		}
	}
	return granted, nil
}

// tokenFor requests a token for scopes, following the DPoP negotiation:
// 400 invalid_dpop_proof without a proof switches DPoP on; 400
// use_dpop_nonce with a DPoP-Nonce header is answered with the nonce
// (docs/okta-api-behaviour.md §7.3). It returns the token and the granted
// scopes of the response.
func (s *assertionTokenSource) tokenFor(ctx context.Context, scopes []string) (*oauth2.Token, string, error) {
	var lastErr error
	for range maxTokenRounds {
		tok, scope, nonce, err := s.requestToken(ctx, scopes)
		if err == nil {
			return tok, scope, nil
		}
		lastErr = err
		if !s.negotiateDPoP(err, nonce) {
			return nil, "", err
		}
	}
	return nil, "", lastErr
}
