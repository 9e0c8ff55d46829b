import { createClient } from "@supabase/supabase-js";

const SUPABASE_URL = "https://xyzcompanyabcd.supabase.co";
const SUPABASE_SERVICE_ROLE_KEY = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMtdzNoZW9oIiwicm9sZSI6ImFkbWluIiwiaWF0IjoxNzMzODk5NDcwLCJleHAiOjE5MTc4OTA1NDR9.WeW2BXxP9otp_l0pmp7cUZIIq0WcH1w2z_8LG7wmJ_g";

export const admin = createClient(SUPABASE_URL, SUPABASE_SERVICE_ROLE_KEY, { auth: { persistSession: false } });
