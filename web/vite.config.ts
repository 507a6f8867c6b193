import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// `npm run dev` proxies the APIs to a running `kiln server` (KILN_SERVER, default :5000);
// `npm run build` writes static files to dist/, which `kiln server` serves at /.
const server = process.env.KILN_SERVER ?? "http://127.0.0.1:5000";
const apiPrefixes = ["/api", "/ajax-api", "/serve", "/v2", "/metrics"];

export default defineConfig({
  plugins: [react()],
  base: "/",
  build: { outDir: "dist", sourcemap: false, chunkSizeWarningLimit: 2000 },
  server: { proxy: Object.fromEntries(apiPrefixes.map((p) => [p, server])) },
});
