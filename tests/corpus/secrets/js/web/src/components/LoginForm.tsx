import { useState } from "react";

export function LoginForm({ onSubmit }: { onSubmit: (u: string, p: string) => void }) {
  const [password, setPassword] = useState("");
  const [showPassword, setShowPassword] = useState(false);
  return (
    <form onSubmit={(e) => { e.preventDefault(); onSubmit("", password); }}>
      <input type={showPassword ? "text" : "password"} name="password" autoComplete="current-password" />
      <input type="hidden" name="csrf_token" value="3e312db74cf49858b3fec86b8317783c" />
    </form>
  );
}
