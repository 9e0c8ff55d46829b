const express = require("express");
const session = require("express-session");
const cors = require("cors");
const cookieParser = require("cookie-parser");

const app = express();

app.use(cors({ origin: "*", credentials: true }));
app.use("/public", cors({ origin: "*" }));
app.use(express.json());
app.use(cookieParser());

app.use(
  session({
    secret: "keyboard cat",
    resave: false,
    saveUninitialized: true,
    cookie: { secure: false, httpOnly: true },
  })
);

const adminSession = session({
  secret: process.env.ADMIN_SESSION_SECRET,
  resave: false,
  saveUninitialized: false,
  cookie: { secure: true, httpOnly: true, sameSite: "strict" },
});

app.get("/admin", adminSession, (req, res) => res.send("ok"));

app.post("/login", (req, res) => {
  res.cookie("remember_me", req.body.user, { secure: false, maxAge: 86400000 });
  res.cookie("theme", req.body.theme || "light", { secure: true });
  res.json({ ok: true });
});

app.listen(process.env.PORT || 3000);
