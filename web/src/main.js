// Entry: the Vue app with the router. Element Plus components are resolved on demand by the
// Vite plugins; the styles of the service APIs (ElMessage, ElMessageBox) are imported here.
import { createApp } from 'vue'
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'
import './styles.css'
import App from './App.vue'
import router from './router.js'
import { setUnauthorizedHandler } from './api/http.js'
import { forget } from './stores/session.js'
import { clearForest } from './stores/orgs.js'

setUnauthorizedHandler(() => {
  forget()
  clearForest()
  const here = router.currentRoute.value
  if (here.path !== '/login') router.replace({ path: '/login', query: { redirect: here.fullPath } })
})

createApp(App).use(router).mount('#app')
