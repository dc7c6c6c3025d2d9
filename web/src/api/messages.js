// The server's message catalog: an error reply carries a message_key (and optional params) that
// the UI turns into text of its own language, from GET /api/v1/messages
// ({"messages": {"<key>": {"zh": "...", "en": "..."}}}, placeholders {0}, {1} ... for params).
// The catalog is fetched once, on the first reply that has a key, and kept in memory. Without a
// key, with a key the catalog does not know, or when the catalog cannot be loaded, the reply's
// own `message` is shown unchanged.
import { ref } from 'vue'
import { lang } from '../i18n/index.js'

const URL_MESSAGES = '/api/v1/messages'

// null until loaded; {} when the server has none (or no such endpoint). A ref, so that texts
// rendered before the catalog arrived (an import's row errors) are redrawn in the UI language.
const catalog = ref(null)
let pending = null

// Resolves once the catalog is loaded (or known to be unavailable). A network failure lets a
// later call try again; an answer that is not a catalog counts as an empty one.
export function loadMessages() {
  if (catalog.value) return Promise.resolve()
  if (!pending) {
    pending = fetch(URL_MESSAGES, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(async (res) => {
        const data = res.ok ? await res.json().catch(() => null) : null
        const messages = data && data.messages
        catalog.value = messages && typeof messages === 'object' ? messages : {}
      })
      .catch(() => { pending = null })
  }
  return pending
}

// The text of {message_key, params, message} in the UI language (synchronous: what the catalog
// holds now). Params fill {0}, {1} ...; a missing one leaves its placeholder.
export function messageText(e) {
  if (!e) return ''
  const fallback = typeof e.message === 'string' ? e.message : ''
  const entry = e.message_key && catalog.value ? catalog.value[e.message_key] : null
  const text = entry && entry[lang.value]
  if (typeof text !== 'string' || !text) return fallback
  const params = Array.isArray(e.params) ? e.params : []
  return text.replace(/\{(\d+)\}/g, (m, i) => (Number(i) < params.length ? String(params[Number(i)]) : m))
}

// As messageText, after loading the catalog when the error has a key.
export async function translateMessage(e) {
  if (e && e.message_key) await loadMessages()
  return messageText(e)
}
