const { Pool } = require("pg");
const fs = require("fs");

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  ssl: { rejectUnauthorized: false },
});

const replica = new Pool({
  connectionString: process.env.REPLICA_URL,
  ssl: { ca: fs.readFileSync("/etc/ssl/rds-ca.pem").toString() },
});

async function connect() {
  const dbPassword = process.env.DB_PASSWORD;
  console.log("connecting to postgres with password", dbPassword);
  console.log("connecting to postgres as", process.env.DB_USER);
  return pool.connect();
}

module.exports = { pool, replica, connect };
