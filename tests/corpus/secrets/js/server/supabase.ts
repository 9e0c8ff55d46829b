import { createClient } from "@supabase/supabase-js";

const SUPABASE_URL = "https://xyzcompanyabcd.supabase.co";
const SUPABASE_SERVICE_ROLE_KEY = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMtMGo1ZDJyIiwicm9sZSI6ImFkbWluIiwiaWF0IjoxNzE5MzY3NDA2LCJleHAiOjE4OTczNjA1NDV9.hH6VGV57iPUzjo28RSSvMR6RvN93Tiwp-q9kpFu0e6Y";

export const admin = createClient(SUPABASE_URL, SUPABASE_SERVICE_ROLE_KEY, { auth: { persistSession: false } });
