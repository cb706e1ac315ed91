// Command image writes the manager's container image as an OCI image
// archive without a container engine (package ociimage); `make image` runs
// it on the static binary of each architecture. One binary makes one image;
// several make one multi-platform image (an OCI image index).
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/ociimage"
)

// binary is a static manager binary and its architecture.
type binary struct{ arch, path string }

func main() {
	var binaries []binary
	arch := flag.String("arch", runtime.GOARCH, "the architecture of a -binary given without one")
	flag.Func("binary", "a static manager binary (CGO_ENABLED=0), as PATH (of -arch) or ARCH=PATH; repeat it for a multi-platform image",
		func(v string) error {
			a, path, ok := strings.Cut(v, "=")
			if !ok {
				a, path = "", v
			}
			binaries = append(binaries, binary{arch: a, path: path})
			return nil
		})
	out := flag.String("out", "bin/okta-assurance-operator.oci.tar", "the OCI image archive to write")
	ref := flag.String("tag", "okta-assurance-operator:latest", "the image's name in the archive")
	bundle := flag.String("ca-bundle", "/etc/ssl/certs/ca-certificates.crt", "PEM CA certificates to put in the image")
	version := flag.String("version", "dev", "org.opencontainers.image.version")
	revision := flag.String("revision", "", "org.opencontainers.image.revision (the git commit)")
	flag.Parse()
	if len(binaries) == 0 {
		binaries = []binary{{path: "bin/manager-linux"}}
	}
	labels := map[string]string{
		"org.opencontainers.image.title":       "okta-assurance-operator",
		"org.opencontainers.image.description": "Kubernetes operator for Okta device assurance policies and the app sign-in rules that enforce them",
		"org.opencontainers.image.source":      "https://github.com/okta-assurance-operator/okta-assurance-operator",
		"org.opencontainers.image.version":     *version,
		"org.opencontainers.image.revision":    *revision,
	}
	if err := write(*out, *ref, *bundle, *arch, labels, binaries); err != nil {
		fmt.Fprintln(os.Stderr, "image:", err)
		os.Exit(1)
	}
	info, err := os.Stat(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "image:", err)
		os.Exit(1)
	}
	fmt.Printf("wrote %s (%s, %d platform(s), %.1f MiB)\n", *out, *ref, len(binaries), float64(info.Size())/(1<<20))
}

func write(out, ref, bundle, defaultArch string, labels map[string]string, binaries []binary) error {
	images := make([]v1.Image, 0, len(binaries))
	for _, b := range binaries {
		if b.arch == "" {
			b.arch = defaultArch
		}
		img, err := ociimage.Build(ociimage.Options{Binary: b.path, CABundle: bundle,
			Platform: v1.Platform{OS: "linux", Architecture: b.arch}, Labels: labels})
		if err != nil {
			return fmt.Errorf("%s: %w", b.arch, err)
		}
		images = append(images, img)
	}
	if len(images) == 1 {
		return ociimage.WriteArchive(out, ref, images[0])
	}
	idx, err := ociimage.Index(images...)
	if err != nil {
		return err
	}
	return ociimage.WriteIndexArchive(out, ref, idx)
}
