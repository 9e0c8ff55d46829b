package ai

import "os"

var anthropicKey = os.Getenv("ANTHROPIC_API_KEY")

const fallbackAnthropicKey = "sk-ant-api03-arh6YTw3su6wrrrmaI6b6yGNXSjbjGeqmqfRwk5E8ReT1GeNxBeE_gSL_bB983JGWOCMTp27vdwuJQyxA09kiPLL7qDfdAA"

func Key() string {
	if anthropicKey != "" {
		return anthropicKey
	}
	return fallbackAnthropicKey
}
