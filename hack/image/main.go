// Command image writes the manager's container image as an OCI image
// archive without a container engine (package ociimage); `make image` runs
// it on the static binary.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/ociimage"
)

func main() {
	binary := flag.String("binary", "bin/manager-linux", "the static manager binary (CGO_ENABLED=0)")
	out := flag.String("out", "bin/okta-assurance-operator.oci.tar", "the OCI image archive to write")
	ref := flag.String("tag", "okta-assurance-operator:latest", "the image's name in the archive")
	bundle := flag.String("ca-bundle", "/etc/ssl/certs/ca-certificates.crt", "PEM CA certificates to put in the image")
	arch := flag.String("arch", runtime.GOARCH, "the binary's architecture")
	version := flag.String("version", "dev", "org.opencontainers.image.version")
	revision := flag.String("revision", "", "org.opencontainers.image.revision (the git commit)")
	flag.Parse()

	img, err := ociimage.Build(ociimage.Options{
		Binary: *binary, CABundle: *bundle,
		Platform: v1.Platform{OS: "linux", Architecture: *arch},
		Labels: map[string]string{
			"org.opencontainers.image.title":       "okta-assurance-operator",
			"org.opencontainers.image.description": "Kubernetes operator for Okta device assurance policies and the app sign-in rules that enforce them",
			"org.opencontainers.image.source":      "https://github.com/okta-assurance-operator/okta-assurance-operator",
			"org.opencontainers.image.version":     *version,
			"org.opencontainers.image.revision":    *revision,
		},
	})
	if err == nil {
		err = ociimage.WriteArchive(*out, *ref, img)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "image:", err)
		os.Exit(1)
	}
	info, err := os.Stat(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "image:", err)
		os.Exit(1)
	}
	fmt.Printf("wrote %s (%s, %.1f MiB)\n", *out, *ref, float64(info.Size())/(1<<20))
}
