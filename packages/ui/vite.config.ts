import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

// `npm run dev -w packages/ui` proxies the APIs to a `canon serve` on CANON_URL (default http://127.0.0.1:5000).
const api = process.env.CANON_URL ?? 'http://127.0.0.1:5000'

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: { '/api': api } },
})
