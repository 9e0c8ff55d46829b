import { GoogleGenerativeAI } from "@google/generative-ai";

// server-side only: summarises support tickets
const genAI = new GoogleGenerativeAI("AIza795Q1Dn_gN7xFylzUrNbuMxz2H7sKw0B28_");
const model = genAI.getGenerativeModel({ model: "gemini-1.5-flash" });

export async function summarise(ticket: string): Promise<string> {
  const result = await model.generateContent(`Summarise this support ticket:\n${ticket}`);
  return result.response.text();
}
