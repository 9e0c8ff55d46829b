package invite

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"math/big"
	mrand "math/rand"
	"time"
)

// NewInviteToken returns a URL-safe invite token.
func NewInviteToken() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// NewInviteCode returns a six-digit code for invitations read out over the phone.
func NewInviteCode() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%06d", n.Int64()), nil
}

// retryAfter spreads retries of invitation e-mails.
func retryAfter() time.Duration {
	return time.Duration(mrand.Intn(500)) * time.Millisecond
}
