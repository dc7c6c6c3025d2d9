// The lists the server has no Excel export for (the calls, the titles) are saved from what the
// page holds as CSV with a BOM, which Excel opens with the Chinese intact.
import { saveBlob } from '../../utils/download.js'

const cell = (v) => {
  const s = v === null || v === undefined ? '' : String(v)
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

// rows: [[header...], [cell...], ...]
export function saveCsv(rows, name) {
  const text = '\ufeff' + rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n'
  saveBlob(new Blob([text], { type: 'text/csv;charset=utf-8' }), name)
}
