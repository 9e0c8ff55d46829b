package session

import (
	"encoding/hex"
	"fmt"
	"math/rand"
	"net/http"
	"time"
)

func init() {
	rand.Seed(time.Now().UnixNano())
}

// NewSessionID returns a random session identifier.
func NewSessionID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// SetSession issues a session cookie and a CSRF token for the form.
func SetSession(w http.ResponseWriter) string {
	http.SetCookie(w, &http.Cookie{Name: "sid", Value: NewSessionID(), HttpOnly: true, Secure: true})
	csrfToken := fmt.Sprintf("%x", rand.Int())
	return csrfToken
}
