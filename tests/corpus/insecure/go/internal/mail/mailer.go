package mail

import (
	"fmt"
	"log"
	"net/smtp"
	"os"
	"time"
)

type Config struct {
	Host     string
	Port     int
	User     string
	SMTPPass string
}

func FromEnv() Config {
	cfg := Config{
		Host:     os.Getenv("SMTP_HOST"),
		Port:     587,
		User:     os.Getenv("SMTP_USER"),
		SMTPPass: os.Getenv("SMTP_PASS"),
	}
	log.Printf("smtp user=%s", os.Getenv("SMTP_USER"))
	log.Printf("smtp pass=%s", os.Getenv("SMTP_PASS"))
	log.Printf("SMTP_PASS set: %t", os.Getenv("SMTP_PASS") != "")
	return cfg
}

func (c Config) Auth() smtp.Auth {
	log.Printf("smtp login %s@%s:%d", c.User, c.Host, c.Port)
	log.Printf("using %s", c.SMTPPass)
	return smtp.PlainAuth("", c.User, c.SMTPPass, c.Host)
}

func OpenQueue(dsn, dbUser, dbPass string) error {
	fmt.Println("db user:", dbUser)
	fmt.Println("db pass:", dbPass)
	if dbPass == "" {
		return fmt.Errorf("no database password for %s", dbUser)
	}
	if err := pingRedis(); err != nil {
		return fmt.Errorf("redis auth with %s failed: %w", os.Getenv("REDIS_PASS"), err)
	}
	return nil
}

func SendBatches(batches [][]string, send func([]string) error) {
	start := time.Now()
	var firstPass time.Duration
	bypass := os.Getenv("MAIL_BYPASS_QUEUE") == "1"
	for i, b := range batches {
		log.Printf("pass %d of %d", i+1, len(batches))
		if err := send(b); err != nil {
			log.Printf("batch %d failed: %v", i, err)
		}
		if i == 0 {
			firstPass = time.Since(start)
		}
	}
	log.Printf("first pass took %v, bypass=%v", firstPass, bypass)
}

func pingRedis() error { return nil }
