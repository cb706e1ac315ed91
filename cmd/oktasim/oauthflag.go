package main

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/go-jose/go-jose/v4"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/oktasim"
)

// allScopes are granted when an --oauth-client names none.
var allScopes = []string{
	"okta.deviceAssurance.read", "okta.deviceAssurance.manage",
	"okta.devicePostureChecks.read", "okta.devicePostureChecks.manage",
	"okta.policies.read", "okta.policies.manage", "okta.logs.read",
}

// parseOAuthClient parses clientID=KEYFILE[,scopes=a+b][,dpop].
func parseOAuthClient(spec string) (oktasim.OAuthClient, error) {
	parts := strings.Split(spec, ",")
	clientID, keyFile, ok := strings.Cut(parts[0], "=")
	if !ok || clientID == "" || keyFile == "" {
		return oktasim.OAuthClient{}, fmt.Errorf("--oauth-client %q: want clientID=KEYFILE[,scopes=a+b][,dpop]", clientID)
	}
	client := oktasim.OAuthClient{ClientID: clientID, Scopes: allScopes}
	for _, opt := range parts[1:] {
		switch {
		case opt == "dpop":
			client.RequireDPoP = true
		case strings.HasPrefix(opt, "scopes="):
			client.Scopes = strings.FieldsFunc(strings.TrimPrefix(opt, "scopes="), func(r rune) bool { return r == '+' || r == ' ' })
		default:
			return client, fmt.Errorf("--oauth-client %s: unknown option %q", clientID, opt)
		}
	}
	keys, err := readPublicKeys(keyFile)
	if err != nil {
		return client, fmt.Errorf("--oauth-client %s: %w", clientID, err)
	}
	client.PublicKeys = keys
	return client, nil
}

// readPublicKeys reads a PEM public key (PKIX or PKCS#1), a JWK or a JWKS.
func readPublicKeys(path string) ([]jose.JSONWebKey, error) {
	data, err := os.ReadFile(path) //nolint:gosec // the path is the operator's own flag
	if err != nil {
		return nil, err
	}
	trimmed := strings.TrimSpace(string(data))
	if strings.HasPrefix(trimmed, "{") {
		return parseJWKs(data)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("no PEM block or JSON key found")
	}
	if pub, err := x509.ParsePKIXPublicKey(block.Bytes); err == nil {
		return []jose.JSONWebKey{oktasim.NewPublicKey(pub, "")}, nil
	}
	pub, err := x509.ParsePKCS1PublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("parse public key: %w", err)
	}
	return []jose.JSONWebKey{oktasim.NewPublicKey(pub, "")}, nil
}

func parseJWKs(data []byte) ([]jose.JSONWebKey, error) {
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(data, &set); err == nil && len(set.Keys) > 0 {
		return publicOnly(set.Keys)
	}
	var key jose.JSONWebKey
	if err := json.Unmarshal(data, &key); err != nil {
		return nil, fmt.Errorf("parse JWK: %w", err)
	}
	return publicOnly([]jose.JSONWebKey{key})
}

// publicOnly refuses private keys: the org only needs the public half.
func publicOnly(keys []jose.JSONWebKey) ([]jose.JSONWebKey, error) {
	for _, k := range keys {
		if !k.IsPublic() {
			return nil, errors.New("the key file holds a private key; give the public key")
		}
	}
	return keys, nil
}
