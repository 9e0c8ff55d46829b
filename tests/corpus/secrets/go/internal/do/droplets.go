package do

import (
	"github.com/digitalocean/godo"
)

var doToken = "dop_v1_49713174a8244a26df9e6459937f8b954cdfc34d19bbbd37322425369408b4ce"

func NewClient() *godo.Client {
	return godo.NewFromToken(doToken)
}

// ImageChecksum is the sha256 of the golden image we boot droplets from.
const ImageChecksum = "c95db107d48beb9032b8f1c6b8e3f0fda04faca87c6d5cb63e176f2bc23b58b5"
const RequestIDHeader = "X-Request-Id"
