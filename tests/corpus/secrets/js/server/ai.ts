import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";

const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY ?? "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" });
const anthropic = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY });

export interface ChatOptions {
  apiKey: string;
  maxTokens?: number;
}

export const TOKEN_REGEX = /sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}/;

export async function complete(prompt: string, opts: Partial<ChatOptions> = {}): Promise<string> {
  const r = await openai.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: prompt }],
    max_tokens: opts.maxTokens ?? 512,
  });
  return r.choices[0]?.message?.content ?? "";
}

export { anthropic };
