package ociimage

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// TestAMultiPlatformArchive: several binaries make one image index whose
// manifests name their platforms, so that a runtime pulls its node's.
func TestAMultiPlatformArchive(t *testing.T) {
	dir := t.TempDir()
	bundle := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(bundle, []byte("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	archs := []string{"amd64", "arm64"}
	images := make([]v1.Image, 0, len(archs))
	for _, arch := range archs {
		binary := filepath.Join(dir, "manager-"+arch)
		if err := os.WriteFile(binary, []byte("the manager for "+arch), 0o600); err != nil {
			t.Fatal(err)
		}
		img, err := Build(Options{Binary: binary, CABundle: bundle, Platform: v1.Platform{OS: "linux", Architecture: arch}})
		if err != nil {
			t.Fatal(err)
		}
		images = append(images, img)
	}
	if _, err := Index(images[0], images[0]); err == nil || !strings.Contains(err.Error(), "platform of its own") {
		t.Errorf("two images of one platform: %v", err)
	}
	idx, err := Index(images...)
	if err != nil {
		t.Fatal(err)
	}
	archive := filepath.Join(dir, "image.oci.tar")
	if err := WriteIndexArchive(archive, "okta-assurance-operator:multi", idx); err != nil {
		t.Fatal(err)
	}

	got := readIndexArchive(t, archive, "okta-assurance-operator:multi")
	manifest, err := got.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if len(manifest.Manifests) != 2 {
		t.Fatalf("%d manifests, want 2", len(manifest.Manifests))
	}
	for i, arch := range []string{"amd64", "arm64"} {
		d := manifest.Manifests[i]
		if d.Platform == nil || d.Platform.OS != "linux" || d.Platform.Architecture != arch {
			t.Errorf("manifest %d: platform %v, want linux/%s", i, d.Platform, arch)
		}
		img, err := got.Image(d.Digest)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := img.ConfigFile()
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Architecture != arch || cfg.Config.User != User {
			t.Errorf("image %d: architecture %s, user %s", i, cfg.Architecture, cfg.Config.User)
		}
	}
}

// readIndexArchive untars an OCI image archive and returns the image index
// named ref.
func readIndexArchive(t *testing.T, archive, ref string) v1.ImageIndex {
	t.Helper()
	top, digest := openArchive(t, archive, ref)
	idx, err := top.ImageIndex(digest)
	if err != nil {
		t.Fatal(err)
	}
	return idx
}
