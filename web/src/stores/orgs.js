// The caller's visible organization forest (GET /orgs/tree), cached for the tree page and the
// tree selects, with id lookups. Pages call reloadForest() after a change.
import { ref, computed } from 'vue'
import { getForest } from '../api/orgs.js'

export const forest = ref([])
let loading = null

export async function loadForest() {
  if (forest.value.length) return forest.value
  return reloadForest()
}

export async function reloadForest() {
  if (!loading) {
    loading = getForest()
      .then((res) => { forest.value = res.items || []; return forest.value })
      .finally(() => { loading = null })
  }
  return loading
}

export function clearForest() { forest.value = [] }

// id -> node, over the whole forest.
export const nodeById = computed(() => {
  const map = new Map()
  const walk = (nodes) => nodes.forEach((n) => { map.set(n.id, n); walk(n.children || []) })
  walk(forest.value)
  return map
})

// Names from the top of the visible forest down to the node, e.g. 渝中区 / 解放碑街道.
export function pathNames(node) {
  if (!node || !node.path) return ''
  const ids = node.path.split('/').filter(Boolean).map(Number)
  return ids.map((id) => nodeById.value.get(id)?.name).filter(Boolean).join(' / ')
}

// Ids of a node and everything below it (used to forbid moving a node under itself).
export function subtreeIds(node) {
  const ids = new Set()
  const walk = (n) => { ids.add(n.id); (n.children || []).forEach(walk) }
  if (node) walk(node)
  return ids
}

// How many visible nodes carry each name: teaching points are often named alike (XX社区教学点).
const nameCounts = computed(() => {
  const counts = new Map()
  nodeById.value.forEach((n) => counts.set(n.name, (counts.get(n.name) || 0) + 1))
  return counts
})

// The nearest district above a node (else its parent), for telling same-named nodes apart.
function districtOf(node) {
  const ids = (node.path || '').split('/').filter(Boolean).map(Number).filter((id) => id !== node.id).reverse()
  const above = ids.map((id) => nodeById.value.get(id)).filter(Boolean)
  return above.find((n) => n.type === 'district') || above[0] || null
}

// A node's name as selects and tables show it: with its district when another visible node has
// the same name, e.g. 解放碑社区教学点（渝中区）. name is the row's own when the node is not in
// the caller's forest.
export function orgDisplayName(id, name) {
  const node = nodeById.value.get(id)
  const own = node?.name ?? name ?? ''
  if (!node || (nameCounts.value.get(own) || 0) < 2) return own
  const d = districtOf(node)
  return d ? `${own}（${d.name}）` : own
}
