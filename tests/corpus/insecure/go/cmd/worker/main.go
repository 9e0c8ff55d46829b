package main

import (
	"crypto/md5"
	crand "crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"log"
	"math/rand"
	"net/http"
	"os"
)

type Config struct {
	DBHost     string
	DBPassword string
}

func main() {
	cfg := Config{DBHost: os.Getenv("DB_HOST"), DBPassword: os.Getenv("DB_PASSWORD")}
	http.DefaultTransport.(*http.Transport).TLSClientConfig = &tls.Config{InsecureSkipVerify: true}

	log.Printf("connecting to %s", cfg.DBHost)
	log.Println("db password:", cfg.DBPassword)

	jobToken := fmt.Sprintf("%x", rand.Int63())
	fmt.Println("job", jobToken[:4])

	nonce := make([]byte, 16)
	if _, err := crand.Read(nonce); err != nil {
		log.Fatal(err)
	}
	cacheKey := md5.Sum([]byte(cfg.DBHost))
	fmt.Println(hex.EncodeToString(cacheKey[:]))
}

func workDir() string {
	pwd, err := os.Getwd()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("working in", pwd)
	return pwd
}
