// The state of one list page, declared once for every list of the UI: its filters (kept in the
// address, so a reload or a link shows the same filtered list), the server's pages
// (page, page_size, total; a late answer of an older request is dropped), the loading flag,
// search (back to page 1), reset (the filters as declared) and the Excel export of the filtered
// list, its column settings and its selected rows. ListToolbar.vue (with ColumnSettings.vue) and
// ListPager.vue render the parts every list shows the same way.
//
//   const list = useListPage({ fetch: listUsers, filters: { q: '', role: '' }, query: (f) => ({ ...f, q: f.q.trim() }) })
//   const { filters, rows, loading } = list
//
// fetch(params) resolves { items, total, page? }; query(filters) gives the params the list and the
// export share (default: the filters as they are). Options: pageSize (20), immediate (load when
// mounted, default true). With local (or match(row, filters)) the server answers the whole list
// and it is filtered by match and paged here (a filter change goes back to page 1; pageSize 0
// shows it all).
//
// The filters and the page live in the address (urlState.js), so a reload or a shared link keeps
// them: url: false for a list embedded in another page (a panel). fromQuery(routeQuery) and
// toQuery(filters) replace the generic reading and writing where the address has names of its own.
// columns: [{ key, label: () => text }] declares the table's columns once: the template shows a
// column with v-if="list.shown(key)" and its header as list.label(key), ListToolbar's column
// settings hide and show them (kept per page in localStorage under `name`, default the route's).
// selectable: the table has a selection column (@selection-change="list.select"); list.selection
// holds the checked rows, ListToolbar shows their count and its "batch" slot.
import { ref, reactive, computed, watch, onMounted } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { ElMessage } from 'element-plus'
import { useColumns } from './columns.js'
import { useUrlState } from './urlState.js'

const copy = (o) => JSON.parse(JSON.stringify(o))

export function useListPage({
  fetch, filters: initial = {}, query, pageSize = 20, immediate = true, fromQuery, toQuery, match, local = !!match,
  url = true, columns = [], name, selectable = false,
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
  const selection = ref([])
  const route = url || !name ? useRoute() : null
  const cols = useColumns(columns, name || route?.name)
  const address = url ? useUrlState({ route, router: useRouter(), initial, filters, page, size, pageSize, fromQuery, toQuery })
    : null

  let seq = 0
  async function load() {
    const mine = ++seq
    loading.value = true
    selection.value = []
    if (!local) address?.write()
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

  // Another address for this page (a link, back, the menu): its filters and page, loaded.
  address?.onChange(() => (local ? undefined : load()))
  if (match) watch(filters, () => { page.value = 1 }, { deep: true })
  if (local && address) watch([filters, page, size], () => address.write(), { deep: true })
  if (immediate) onMounted(load)

  return {
    filters, rows, total, page, pageSize: size, loading, exporting, query: params, load, search, paged, goto, reset, exportList,
    ...cols, selectable, selection, select: (picked) => { selection.value = picked },
  }
}
