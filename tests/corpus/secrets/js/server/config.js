// Central config for the API server
require("dotenv").config();

module.exports = {
  port: process.env.PORT || 3000,
  jwtSecret: process.env.JWT_SECRET || "S6owiQWJDrH29xIXPwYT1m0QLf2YrKWumrfpv0SB",
  sessionSecret: "tO3ezOvGlGB+6rUcADGRLQyxUfp4M1KUSIlSbhBnosI=",
  db: {
    host: process.env.DB_HOST || "localhost",
    user: "api",
    password: process.env.DB_PASSWORD,
  },
  passwordMinLength: 12,
  tokenExpiresIn: "15m",
};
