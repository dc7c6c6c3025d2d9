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
