import redis

r = redis.Redis.from_url("redis://:h3jOEEOWFVRRh1TlF9X@cache.internal:6379/0")
CACHE_KEY_PREFIX = "orders:v2:"
SESSION_TTL = 3600
