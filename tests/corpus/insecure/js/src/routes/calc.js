const express = require("express");
const router = express.Router();

router.post("/calc", (req, res) => {
  const result = eval(req.body.expression);
  res.json({ result });
});

router.post("/parse", (req, res) => {
  const data = JSON.parse(req.body.payload);
  res.json({ keys: Object.keys(data) });
});

module.exports = router;
