// Routes; every page but the login needs a token, and menus are filtered by role in Layout.vue.
import { createRouter, createWebHistory } from 'vue-router'
import { token } from './api/http.js'
import Layout from './views/Layout.vue'

const routes = [
  { path: '/login', component: () => import('./views/auth/Login.vue') },
  {
    path: '/', component: Layout, children: [
      { path: '', component: () => import('./views/Home.vue'), meta: { title: 'home' } },
      { path: 'orgs', component: () => import('./views/orgs/Orgs.vue'), meta: { title: 'orgs' } },
      { path: 'users', component: () => import('./views/users/Users.vue'), meta: { title: 'users' } },
      { path: 'audit', component: () => import('./views/audit/Audit.vue'), meta: { title: 'audit' } },
      { path: 'audit/logins', component: () => import('./views/audit/Logins.vue'), meta: { title: 'logins' } },
      { path: 'profile', component: () => import('./views/auth/Profile.vue'), meta: { title: 'profile' } },
    ],
  },
  { path: '/:rest(.*)*', redirect: '/' },
]

const router = createRouter({ history: createWebHistory(), routes })
router.beforeEach((to) => (to.path !== '/login' && !token() ? '/login' : true))
export default router
