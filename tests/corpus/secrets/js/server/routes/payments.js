const Stripe = require("stripe");

const stripe = new Stripe("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", { apiVersion: "2024-06-20" });
const publishable = "pk_live_51092bZWNXfb3ddtIQ4gmFY1TIOD2NBfLyNVXtv56RRFfs7U5nTHiCW0t6XWH9g0N2CcAgr8nsg69TaxnK41CYMh7qv1axDcqDm";

async function createCheckout(req, res) {
  const session = await stripe.checkout.sessions.create({
    mode: "payment",
    line_items: req.body.items,
    success_url: "https://shop.example.com/thanks?session_id={CHECKOUT_SESSION_ID}",
  });
  res.json({ id: session.id, publishable });
}

module.exports = { createCheckout };
