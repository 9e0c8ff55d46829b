const API_BASE = import.meta.env.VITE_API_BASE ?? "https://api.example.com";
const API_KEY = import.meta.env.VITE_PUBLIC_API_KEY;

export async function getOrders(token: string) {
  const res = await fetch(`${API_BASE}/orders`, {
    headers: { Authorization: `Bearer ${token}`, "X-Api-Key": API_KEY },
  });
  return res.json();
}

export async function adminStats() {
  const res = await fetch(`${API_BASE}/admin/stats`, {
    headers: { Authorization: "Bearer 6C6jigJv2x978PPjeBZr1yJeDG3VKJhaLcswb4B8" },
  });
  return res.json();
}
