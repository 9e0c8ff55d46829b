const express = require("express");
const session = require("express-session");
const https = require("https");

const app = express();
app.use(session({ secret: "keyboard cat", cookie: { secure: false } }));

const stripe = require("stripe")("sk_live_8rESQedUStPKR0CsTy4Qwb8D");
const agent = new https.Agent({ rejectUnauthorized: false });

app.get("/health", (req, res) => res.send("ok"));
app.listen(process.env.PORT || 3000);
