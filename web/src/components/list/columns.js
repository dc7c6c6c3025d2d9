// The column settings of a list page (useListPage.js): the table's columns declared once as
// [{ key, label: () => text }], the hidden ones kept in localStorage under kepu.columns.<name>
// (a list of keys, so a column added later shows). ColumnSettings.vue is the control.
import { reactive } from 'vue'

const storeKey = (name) => `kepu.columns.${name}`

function loadHidden(name) {
  try {
    const v = JSON.parse(localStorage.getItem(storeKey(name)) || '[]')
    return Array.isArray(v) ? v : []
  } catch { return [] }
}

export function useColumns(columns, name) {
  const hidden = reactive(Object.fromEntries((name ? loadHidden(name) : []).map((k) => [k, true])))
  const save = () => {
    if (!name) return
    try { localStorage.setItem(storeKey(name), JSON.stringify(Object.keys(hidden).filter((k) => hidden[k]))) } catch { /* private mode */ }
  }
  const byKey = Object.fromEntries(columns.map((c) => [c.key, c]))
  return {
    columns,
    shown: (key) => !hidden[key],
    label: (key) => { const l = byKey[key]?.label; return typeof l === 'function' ? l() : l },
    setShown(key, on) { if (on) delete hidden[key]; else hidden[key] = true; save() },
    resetColumns() { Object.keys(hidden).forEach((k) => delete hidden[k]); save() },
  }
}
