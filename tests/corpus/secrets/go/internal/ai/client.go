package ai

import "os"

var anthropicKey = os.Getenv("ANTHROPIC_API_KEY")

const fallbackAnthropicKey = "sk-ant-api03-EEHPSbhneOkb-Td0DWu0rGydqCTAp4BZnakggSAJYtAyc9riedYNJimIwMdy2OUIGq0XZNWbigpD1rm8-yGM9_QlDW46GAA"

func Key() string {
	if anthropicKey != "" {
		return anthropicKey
	}
	return fallbackAnthropicKey
}
