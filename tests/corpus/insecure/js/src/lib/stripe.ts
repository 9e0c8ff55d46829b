import Stripe from "stripe";

const stripeKey = process.env.STRIPE_SECRET_KEY ?? "";

export const stripe = new Stripe(stripeKey, { apiVersion: "2024-06-20" });

export async function charge(customer: string, amount: number) {
  try {
    return await stripe.paymentIntents.create({ customer, amount, currency: "usd" });
  } catch (err) {
    console.error(`stripe charge failed (key ${stripeKey}):`, err);
    throw new Error(`charge failed for customer ${customer}`);
  }
}
