CREATE TABLE users (
  id BIGSERIAL PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  password_hash VARCHAR(255) NOT NULL,
  api_token_digest CHAR(64)
);
INSERT INTO users (email, password_hash) VALUES ('admin@shop.internal', '$argon2id$v=19$m=65536,t=3,p=4$s64XCdaiUXlIpamFZg9essdCt/P0WCFc315GuKVvDOE=');
CREATE USER reporting WITH PASSWORD 'ANY3EgUKQaIsCPEKDU';
