// Entry: Vue app with the router; Element Plus components come in on demand via the resolver.
import { createApp } from 'vue'
import 'element-plus/theme-chalk/el-message.css'
import 'element-plus/theme-chalk/el-message-box.css'
import App from './App.vue'
import router from './router.js'

createApp(App).use(router).mount('#app')
