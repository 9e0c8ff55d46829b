package client

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"os"
	"time"
)

// NewInsecure is used against the staging gateway with its self-signed cert.
func NewInsecure() *http.Client {
	tr := &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true},
	}
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}

// New verifies the gateway against the internal CA.
func New(caPath string) (*http.Client, error) {
	pem, err := os.ReadFile(caPath)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	cfg := &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12, InsecureSkipVerify: false}
	return &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}, Timeout: 10 * time.Second}, nil
}

func Webhook() *http.Client {
	cfg := &tls.Config{}
	cfg.InsecureSkipVerify = true
	return &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
}
