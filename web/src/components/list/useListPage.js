// The state of one list page, declared once for every list of the UI: its filters (optionally
// read from the address, so other pages can link to a filtered list), the server's pages
// (page, page_size, total; a late answer of an older request is dropped), the loading flag,
// search (back to page 1), reset (the filters as declared) and the Excel export of the filtered
// list. ListToolbar.vue and ListPager.vue render the parts every list shows the same way.
//
//   const list = useListPage({ fetch: listUsers, filters: { q: '', role: '' }, query: (f) => ({ ...f, q: f.q.trim() }) })
//   const { filters, rows, loading } = list
//
// fetch(params) resolves { items, total, page? }; query(filters) gives the params the list and the
// export share (default: the filters as they are). Options: pageSize (20), immediate (load when
// mounted, default true), fromQuery(routeQuery) -> filters to take from the address, with
// routeName the route whose query changes reload the list. With local (or match(row, filters))
// the server answers the whole list and it is filtered by match and paged here (a filter change
// goes back to page 1; pageSize 0 shows it all).
import { ref, reactive, computed, watch, onMounted } from 'vue'
import { useRoute } from 'vue-router'
import { ElMessage } from 'element-plus'

const copy = (o) => JSON.parse(JSON.stringify(o))

export function useListPage({
  fetch, filters: initial = {}, query, pageSize = 20, immediate = true, fromQuery, routeName, match, local = !!match,
} = {}) {
  const filters = reactive(copy(initial))
  const page = ref(1)
  const size = ref(pageSize)
  const all = ref([])  // the whole list, when it is paged here (local)
  const matched = computed(() => (match ? all.value.filter((row) => match(row, filters)) : all.value))
  const rows = local ? computed(() => (size.value ? matched.value.slice((page.value - 1) * size.value, page.value * size.value)
    : matched.value)) : ref([])
  const total = local ? computed(() => matched.value.length) : ref(0)
  const loading = ref(false)
  const exporting = ref(false)
  const params = () => (query ? query(filters) : { ...filters })

  let seq = 0
  async function load() {
    const mine = ++seq
    loading.value = true
    try {
      const res = await fetch(local ? params() : { page: page.value, page_size: size.value, ...params() })
      if (mine !== seq) return
      if (local) { all.value = res.items || []; return }
      rows.value = res.items || []
      total.value = res.total || 0
      // The server may correct the page (e.g. past the end after a delete); follow it.
      if (res.page && res.page !== page.value) page.value = res.page
    } catch {
      if (mine === seq) (local ? all : rows).value = []
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  function search() { page.value = 1; return local ? undefined : load() }
  // After the pager moved to another page (or size).
  function paged() { return local ? undefined : load() }
  function goto(p) { page.value = p; return paged() }
  function reset() {
    Object.assign(filters, copy(initial))
    return search()
  }

  // exportList(exportFn, doneText?): exportFn(params) downloads the filtered list; its errors are
  // shown by the download helper.
  async function exportList(exportFn, doneText) {
    exporting.value = true
    try {
      await exportFn(params())
      if (doneText) ElMessage.success(doneText)
    } catch { /* shown by the helper */ } finally {
      exporting.value = false
    }
  }

  if (fromQuery) {
    const route = useRoute()
    onMounted(() => Object.assign(filters, fromQuery(route.query)))
    watch(() => route.query, (q, old) => {
      if (route.name !== routeName || JSON.stringify(q) === JSON.stringify(old)) return
      Object.assign(filters, fromQuery(q))
      search()
    })
  }
  if (match) watch(filters, () => { page.value = 1 }, { deep: true })
  if (immediate) onMounted(load)

  return { filters, rows, total, page, pageSize: size, loading, exporting, query: params, load, search, paged, goto, reset, exportList }
}
