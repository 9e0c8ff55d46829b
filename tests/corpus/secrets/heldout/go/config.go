package config

import "github.com/spf13/viper"

func Defaults() {
	viper.SetDefault("server.port", 8080)
	viper.SetDefault("jwt.secret", "yFfxDPFr9IP3nyY1wk3tcATRkwCeq4sgTF4QCebg")
	viper.SetDefault("jwt.ttl", "15m")
	viper.SetDefault("redis.password", "")
}
