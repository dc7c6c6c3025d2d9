// Vite build of the Kepu UI into ../build/web (hashed assets under assets/).
// Element Plus comes in on demand: components and their styles are resolved per use.
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import AutoImport from 'unplugin-auto-import/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

export default defineConfig({
  plugins: [
    vue(),
    AutoImport({ resolvers: [ElementPlusResolver()], dts: false }),
    Components({ resolvers: [ElementPlusResolver()], dts: false }),
  ],
  build: {
    outDir: '../build/web',
    emptyOutDir: true,
    assetsDir: 'assets',
    chunkSizeWarningLimit: 800,
  },
  // `npm run dev` talks to a local `kepu serve` (KEPU_DEV_API overrides the address).
  server: { proxy: { '/api': process.env.KEPU_DEV_API || 'http://127.0.0.1:8080' } },
})
