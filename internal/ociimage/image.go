// Package ociimage builds the manager's container image without a
// container engine: one layer holding the static binary, a CA bundle and
// the files a non-root user needs, and a config that runs the binary as
// that user. No shell, no package manager, nothing else. It is what the
// Dockerfile builds on distroless/static:nonroot, for machines without
// Docker; `make image` writes it as an OCI image archive.
package ociimage

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

const (
	// User is the image's user and group: distroless's nonroot.
	User = "65532:65532"
	// Entrypoint is where the binary is.
	Entrypoint = "/manager"
	// CABundlePath is where Go (and most TLS stacks) look for CA certificates.
	CABundlePath = "/etc/ssl/certs/ca-certificates.crt"
	// RefNameAnnotation names an image in an OCI layout.
	RefNameAnnotation = "org.opencontainers.image.ref.name"
)

// epoch is the time of every file and of the image: the same inputs make
// the same image, byte for byte.
var epoch = time.Unix(0, 0).UTC()

// Options are the inputs of an image.
type Options struct {
	// Binary is the static manager binary (CGO_ENABLED=0) for Platform.
	Binary string
	// CABundle is a PEM file of CA certificates for the image.
	CABundle string
	// Platform is the binary's OS and architecture.
	Platform v1.Platform
	// Labels are the image config's labels (org.opencontainers.image.*).
	Labels map[string]string
}

// Build returns the image.
func Build(opts Options) (v1.Image, error) {
	if opts.Platform.OS == "" || opts.Platform.Architecture == "" {
		return nil, errors.New("the platform's OS and architecture are required")
	}
	layer, err := filesLayer(opts)
	if err != nil {
		return nil, err
	}
	img, err := mutate.AppendLayers(mutate.MediaType(empty.Image, types.OCIManifestSchema1), layer)
	if err != nil {
		return nil, err
	}
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	cfg, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cfg = cfg.DeepCopy()
	cfg.OS, cfg.Architecture, cfg.Variant = opts.Platform.OS, opts.Platform.Architecture, opts.Platform.Variant
	cfg.Created = v1.Time{Time: epoch}
	cfg.Config = v1.Config{
		User:       User,
		Entrypoint: []string{Entrypoint},
		WorkingDir: "/",
		Env:        []string{"SSL_CERT_FILE=" + CABundlePath},
		Labels:     opts.Labels,
	}
	return mutate.ConfigFile(img, cfg)
}

// file is one entry of the layer.
type file struct {
	name     string
	mode     int64
	uid, gid int
	body     []byte
	dir      bool
}

// filesLayer is the image's only layer.
func filesLayer(opts Options) (v1.Layer, error) {
	binary, err := os.ReadFile(opts.Binary)
	if err != nil {
		return nil, fmt.Errorf("read the manager binary: %w", err)
	}
	bundle, err := os.ReadFile(opts.CABundle)
	if err != nil {
		return nil, fmt.Errorf("read the CA bundle: %w", err)
	}
	if !bytes.Contains(bundle, []byte("-----BEGIN CERTIFICATE-----")) {
		return nil, fmt.Errorf("the CA bundle %s holds no PEM certificate", opts.CABundle)
	}
	files := []file{
		{name: "etc/", mode: 0o755, dir: true},
		{name: "etc/passwd", mode: 0o644, body: []byte("root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n")},
		{name: "etc/group", mode: 0o644, body: []byte("root:x:0:\nnonroot:x:65532:\n")},
		{name: "etc/ssl/", mode: 0o755, dir: true},
		{name: "etc/ssl/certs/", mode: 0o755, dir: true},
		{name: CABundlePath[1:], mode: 0o644, body: bundle},
		{name: "home/", mode: 0o755, dir: true},
		{name: "home/nonroot/", mode: 0o700, uid: 65532, gid: 65532, dir: true},
		{name: "tmp/", mode: 0o1777, dir: true},
		{name: Entrypoint[1:], mode: 0o755, body: binary},
	}
	var buf bytes.Buffer
	if err := writeTar(&buf, files); err != nil {
		return nil, err
	}
	data := buf.Bytes()
	return tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil },
		tarball.WithMediaType(types.OCILayer))
}

func writeTar(w io.Writer, files []file) error {
	sort.Slice(files, func(i, j int) bool { return files[i].name < files[j].name })
	tw := tar.NewWriter(w)
	for _, f := range files {
		h := &tar.Header{Name: f.name, Mode: f.mode, Uid: f.uid, Gid: f.gid, ModTime: epoch, Format: tar.FormatPAX}
		if f.dir {
			h.Typeflag = tar.TypeDir
		} else {
			h.Typeflag, h.Size = tar.TypeReg, int64(len(f.body))
		}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if _, err := tw.Write(f.body); err != nil {
			return err
		}
	}
	return tw.Close()
}

// Index returns the images, one per platform, as one multi-platform image
// (an OCI image index): a runtime pulls the image of its node's platform.
func Index(images ...v1.Image) (v1.ImageIndex, error) {
	adds := make([]mutate.IndexAddendum, 0, len(images))
	seen := map[string]bool{}
	for _, img := range images {
		cfg, err := img.ConfigFile()
		if err != nil {
			return nil, err
		}
		platform := cfg.Platform()
		if platform == nil || seen[platform.String()] {
			return nil, fmt.Errorf("each image of an index needs a platform of its own, got %v", platform)
		}
		seen[platform.String()] = true
		adds = append(adds, mutate.IndexAddendum{Add: img, Descriptor: v1.Descriptor{Platform: platform}})
	}
	return mutate.AppendManifests(mutate.IndexMediaType(empty.Index, types.OCIImageIndex), adds...), nil
}

// WriteArchive writes img, named ref, as an OCI image archive: a tar of an
// OCI image layout, which `skopeo copy oci-archive:…`, `podman load`,
// `ctr images import` and `crane push` read.
func WriteArchive(path, ref string, img v1.Image) error {
	return writeLayoutArchive(path, func(lp layout.Path) error { return lp.AppendImage(img, named(ref)) })
}

// WriteIndexArchive writes idx (Index), named ref, as an OCI image archive.
func WriteIndexArchive(path, ref string, idx v1.ImageIndex) error {
	return writeLayoutArchive(path, func(lp layout.Path) error { return lp.AppendIndex(idx, named(ref)) })
}

func named(ref string) layout.Option {
	return layout.WithAnnotations(map[string]string{RefNameAnnotation: ref})
}

// writeLayoutArchive writes an OCI image layout that add fills, as a tar.
func writeLayoutArchive(path string, add func(layout.Path) error) error {
	dir, err := os.MkdirTemp("", "oci-layout-")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(dir) }()
	lp, err := layout.Write(dir, empty.Index)
	if err != nil {
		return err
	}
	if err := add(lp); err != nil {
		return err
	}
	out, err := os.Create(filepath.Clean(path))
	if err != nil {
		return err
	}
	if err := tarDir(out, dir); err != nil {
		_ = out.Close()
		return err
	}
	return out.Close()
}

// tarDir writes the files under dir, in name order, with fixed times.
func tarDir(w io.Writer, dir string) error {
	var files []file
	root := os.DirFS(dir)
	err := fs.WalkDir(root, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || path == "." {
			return err
		}
		if d.IsDir() {
			files = append(files, file{name: path + "/", mode: 0o755, dir: true})
			return nil
		}
		body, err := fs.ReadFile(root, path)
		files = append(files, file{name: path, mode: 0o644, body: body})
		return err
	})
	if err != nil {
		return err
	}
	return writeTar(w, files)
}
