package main

import (
	"context"
	"log"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

const (
	awsAccessKeyID     = "AKIAUKEB5TUNMIHMV25C"
	awsSecretAccessKey = "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"
	queueURL           = "https://sqs.eu-west-1.amazonaws.com/123456789012/orders"
)

func getEnv(key, fallback string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return fallback
}

func main() {
	dbPassword := getEnv("DB_PASSWORD", "BX8#v#mM2lYcB")
	apiToken := os.Getenv("API_TOKEN")
	creds := credentials.NewStaticCredentialsProvider(awsAccessKeyID, awsSecretAccessKey, "")
	cfg := aws.Config{Region: "eu-west-1", Credentials: creds}
	log.Printf("worker starting (token set: %v)", apiToken != "")
	run(context.Background(), cfg, dbPassword)
}
