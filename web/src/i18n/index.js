// A small i18n of our own: zh-CN is the default, English the second language.
// The choice is kept in localStorage; t() looks up dotted keys and fills {name} holes.
import { ref } from 'vue'
import zh from './zh.js'
import en from './en.js'

// Each module's pages keep their texts in i18n/modules/<module>.js as { zh: {...}, en: {...} },
// merged here under their own top-level keys, so pages of different modules never edit one file.
const modules = import.meta.glob('./modules/*.js', { eager: true, import: 'default' })
const messages = { zh: { ...zh }, en: { ...en } }
// Deep: two modules may fill one section (each package its own kinds under todo.kind, its
// entities under auditEntity); a text of one never replaces a section of another.
function merge(into, from) {
  for (const [k, v] of Object.entries(from || {})) {
    if (v && typeof v === 'object' && into[k] && typeof into[k] === 'object') into[k] = merge({ ...into[k] }, v)
    else into[k] = v
  }
  return into
}
for (const mod of Object.values(modules)) {
  for (const l of ['zh', 'en']) merge(messages[l], mod[l])
}
const STORAGE_KEY = 'kepu_lang'

function initial() {
  const saved = localStorage.getItem(STORAGE_KEY)
  return saved === 'en' || saved === 'zh' ? saved : 'zh'
}

export const lang = ref(initial())
document.documentElement.lang = lang.value === 'zh' ? 'zh-CN' : 'en'

export function setLang(value) {
  lang.value = value === 'en' ? 'en' : 'zh'
  localStorage.setItem(STORAGE_KEY, lang.value)
  document.documentElement.lang = lang.value === 'zh' ? 'zh-CN' : 'en'
}

export function toggleLang() { setLang(lang.value === 'zh' ? 'en' : 'zh') }

function lookup(dict, key) {
  return key.split('.').reduce((node, part) => (node == null ? undefined : node[part]), dict)
}

// t('orgs.addChild') or t('common.total', { n: 5 }); falls back to zh, then to the key itself.
export function t(key, params) {
  let text = lookup(messages[lang.value], key)
  if (typeof text !== 'string') text = lookup(messages.zh, key)
  if (typeof text !== 'string') return key
  if (!params) return text
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m))
}

// Label of a code from one of the dictionaries (orgType, role, scope, action, entity).
export function label(dict, code) {
  if (code == null || code === '') return ''
  const text = t(`${dict}.${code}`)
  return text === `${dict}.${code}` ? String(code) : text
}

// Options for an el-select built from a dictionary, in the dictionary's order.
export function options(dict) {
  return Object.keys(messages.zh[dict]).map((value) => ({ value, label: label(dict, value) }))
}

// The composable the pages use.
export function useI18n() {
  return { t, label, options, lang, setLang, toggleLang }
}
