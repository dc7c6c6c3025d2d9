// The filters and page of a list page kept in the address (useListPage.js): read once when the
// page is set up, written (replace, no history entry) when the list loads, and read again when the
// address changes under the page (a link, back and forward, the menu). Only the list's own keys
// are touched (filters, page, page_size); others such as ?tab= stay. Values equal to the declared
// ones are left out, so an unfiltered list has a bare address.
//
// Generic reading follows the type of the declared value: numbers (and null with a number in the
// address) become numbers, booleans 'true', arrays (date ranges) repeated keys. A page whose
// address names differ from its filters gives fromQuery(query) -> filters and toQuery(filters).
import { watch } from 'vue'

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b)
const str = (v) => (Array.isArray(v) ? v.map(String) : String(v))

function readValue(v, declared) {
  if (v == null) return declared
  if (Array.isArray(declared) || (declared == null && Array.isArray(v))) return Array.isArray(v) ? v : declared
  if (Array.isArray(v)) return declared
  if (typeof declared === 'boolean') return v === 'true'
  if (typeof declared === 'number' || (declared == null && /^-?\d+$/.test(v))) {
    const n = Number(v)
    return Number.isFinite(n) ? n : declared
  }
  return v
}

function genericFrom(q, initial) {
  const out = {}
  for (const [k, v] of Object.entries(initial)) out[k] = readValue(q[k], JSON.parse(JSON.stringify(v)))
  return out
}

function genericTo(filters, initial) {
  const out = {}
  for (const [k, v] of Object.entries(filters)) {
    if (same(v, initial[k]) || v == null || v === '') continue
    out[k] = str(v)
  }
  return out
}

// Drops empty values and makes every value a string (or array of strings) as the router gives them.
function clean(q) {
  const out = {}
  for (const [k, v] of Object.entries(q)) if (v != null && v !== '' && !(Array.isArray(v) && !v.length)) out[k] = str(v)
  return out
}

export function useUrlState({ route, router, initial, filters, page, size, pageSize, fromQuery, toQuery }) {
  const from = fromQuery || ((q) => genericFrom(q, initial))
  const to = (f) => clean(toQuery ? toQuery(f) : genericTo(f, initial))
  const keys = [...new Set([...Object.keys(to(initial)), ...Object.keys(initial), 'page', 'page_size'])]
  const routeName = route.name
  const mine = (q) => Object.fromEntries(keys.filter((k) => q[k] != null).sort().map((k) => [k, str(q[k])]))

  function read(q) {
    Object.assign(filters, from(q))
    page.value = Number(q.page) > 0 ? Number(q.page) : 1
    size.value = Number(q.page_size) >= 0 && q.page_size != null ? Number(q.page_size) : pageSize
  }

  function wanted() {
    const q = to(filters)
    if (page.value !== 1) q.page = String(page.value)
    if (size.value !== pageSize) q.page_size = String(size.value)
    return q
  }

  // The address as the list now is (only while this page is the one shown).
  function write() {
    if (route.name !== routeName) return
    const q = wanted()
    if (same(mine(q), mine(route.query))) return
    const rest = Object.fromEntries(Object.entries(route.query).filter(([k]) => !keys.includes(k)))
    router.replace({ query: { ...rest, ...q } }).catch(() => {})
  }

  function onChange(reload) {
    watch(() => route.query, (q, old) => {
      if (route.name !== routeName || same(mine(q), mine(old || {})) || same(mine(q), mine(wanted()))) return
      read(q)
      reload()
    })
  }

  read(route.query)
  return { write, onChange }
}
