package config

import "github.com/spf13/viper"

func Defaults() {
	viper.SetDefault("server.port", 8080)
	viper.SetDefault("jwt.secret", "OJaQ4IzjvFd6KAHLPeZFkR9X8udzSjEuFIcdF22Z")
	viper.SetDefault("jwt.ttl", "15m")
	viper.SetDefault("redis.password", "")
}
