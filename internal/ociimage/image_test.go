package ociimage

import (
	"archive/tar"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
)

// TestTheArchiveRunsTheManagerAsNonRoot builds the real manager, writes its
// image archive as `make image` does, and reads the archive back as a
// container runtime would.
func TestTheArchiveRunsTheManagerAsNonRoot(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the manager")
	}
	dir := t.TempDir()
	binary := filepath.Join(dir, "manager")
	build := exec.CommandContext(t.Context(), "go", "build", "-trimpath", "-ldflags", "-s -w", "-o", binary, "../../cmd")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build the manager: %v\n%s", err, out)
	}
	bundle := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(bundle, []byte("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	img, err := Build(Options{Binary: binary, CABundle: bundle, Platform: v1.Platform{OS: "linux", Architecture: runtime.GOARCH},
		Labels: map[string]string{"org.opencontainers.image.revision": "abc123"}})
	if err != nil {
		t.Fatal(err)
	}
	archive := filepath.Join(dir, "image.oci.tar")
	if err := WriteArchive(archive, "okta-assurance-operator:test", img); err != nil {
		t.Fatal(err)
	}

	got := readArchive(t, archive, "okta-assurance-operator:test")
	cfg, err := got.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Config.User != "65532:65532" || strings.Join(cfg.Config.Entrypoint, " ") != "/manager" || cfg.OS != "linux" || cfg.Architecture != runtime.GOARCH {
		t.Errorf("config: user %q, entrypoint %v, platform %s/%s", cfg.Config.User, cfg.Config.Entrypoint, cfg.OS, cfg.Architecture)
	}
	if cfg.Config.Labels["org.opencontainers.image.revision"] != "abc123" {
		t.Errorf("labels %v", cfg.Config.Labels)
	}

	files := extract(t, got, dir)
	for _, path := range []string{"/manager", CABundlePath, "/etc/passwd", "/tmp"} {
		if _, ok := files[path]; !ok {
			t.Errorf("the image lacks %s", path)
		}
	}
	for path := range files {
		if strings.HasPrefix(path, "/bin") || strings.HasPrefix(path, "/usr") || strings.HasSuffix(path, "/sh") {
			t.Errorf("the image has %s: it must have no shell and no tools", path)
		}
	}
	if files["/home/nonroot"].Uid != 65532 || files["/tmp"].Mode&0o1777 != 0o1777 {
		t.Errorf("home %+v, tmp mode %o", files["/home/nonroot"], files["/tmp"].Mode)
	}

	// The binary in the image is the manager, and it runs.
	out, err := exec.CommandContext(t.Context(), filepath.Join(dir, "rootfs", "manager"), "-help").CombinedOutput()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "-watch-label-selector") {
		t.Fatalf("the image's /manager -help said:\n%s", out)
	}

	// The same inputs make the same image.
	again, err := Build(Options{Binary: binary, CABundle: bundle, Platform: v1.Platform{OS: "linux", Architecture: runtime.GOARCH},
		Labels: map[string]string{"org.opencontainers.image.revision": "abc123"}})
	if err != nil {
		t.Fatal(err)
	}
	d1, _ := img.Digest()
	d2, _ := again.Digest()
	if d1 != d2 {
		t.Errorf("two builds of the same inputs: %s and %s", d1, d2)
	}
}

// readArchive untars an OCI image archive and returns the image named ref.
func readArchive(t *testing.T, archive, ref string) v1.Image {
	t.Helper()
	top, digest := openArchive(t, archive, ref)
	img, err := top.Image(digest)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// openArchive untars an OCI image archive and returns its layout's index
// and the digest of its one manifest, which must be named ref.
func openArchive(t *testing.T, archive, ref string) (v1.ImageIndex, v1.Hash) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "layout")
	f, err := os.Open(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	untar(t, tar.NewReader(f), dir, nil)
	lp, err := layout.FromPath(dir)
	if err != nil {
		t.Fatal(err)
	}
	index, err := lp.ImageIndex()
	if err != nil {
		t.Fatal(err)
	}
	manifest, err := index.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if len(manifest.Manifests) != 1 || manifest.Manifests[0].Annotations[RefNameAnnotation] != ref {
		t.Fatalf("index manifests %+v", manifest.Manifests)
	}
	return index, manifest.Manifests[0].Digest
}

// extract writes the image's filesystem under dir/rootfs and returns its
// headers by absolute path.
func extract(t *testing.T, img v1.Image, dir string) map[string]*tar.Header {
	t.Helper()
	rc := mutate.Extract(img)
	defer func() { _ = rc.Close() }()
	headers := map[string]*tar.Header{}
	untar(t, tar.NewReader(rc), filepath.Join(dir, "rootfs"), headers)
	return headers
}

func untar(t *testing.T, tr *tar.Reader, dir string, headers map[string]*tar.Header) {
	t.Helper()
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Clean(h.Name)
		if headers != nil {
			headers["/"+name] = h
		}
		path := filepath.Join(dir, name)
		if h.Typeflag == tar.TypeDir {
			if err := os.MkdirAll(path, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, body, os.FileMode(h.Mode)&0o755|0o600); err != nil {
			t.Fatal(err)
		}
	}
}
