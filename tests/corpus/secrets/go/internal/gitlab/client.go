package gitlab

import "net/http"

// Client talks to our self-hosted GitLab.
type Client struct {
	BaseURL string
	Token   string `json:"token" yaml:"token"`
	http    *http.Client
}

var defaultClient = &Client{
	BaseURL: "https://gitlab.example.com/api/v4",
	Token:   "glpat-_YxRmd8cR0HKvYRtmOtn",
	http:    http.DefaultClient,
}

const runnerRegistrationToken = "glrt-2waM4kgLDCJQHLodNDaZ"
