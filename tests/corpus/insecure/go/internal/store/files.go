package store

import (
	"fmt"
	"os"
	"path/filepath"
)

func Export(dir, name string, data []byte) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		return err
	}
	return os.Chmod(p, 0777)
}

func Connect(dsn, apiKey string) error {
	if apiKey == "" {
		return fmt.Errorf("missing api key for %s", dsn)
	}
	return fmt.Errorf("connect failed using api key %s", apiKey)
}

func CheckKey(privateKey any) error {
	switch privateKey.(type) {
	case []byte, string:
		return fmt.Errorf("store: raw private key %v given, want a parsed key", privateKey)
	}
	return fmt.Errorf("store: private key of type %T is not supported", privateKey)
}
