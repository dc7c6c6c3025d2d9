// xlsx.mjs - a minimal .xlsx built in the browser tests (a zip of deflated entries with shared
// strings), for the import dialogs: workbook([[header, ...], [cell, ...], ...], sheetName).
import zlib from 'node:zlib'

// A zip of deflated entries (no zip64, no data descriptors).
function zip(files) {
  const locals = []
  const centrals = []
  let offset = 0
  for (const [name, text] of Object.entries(files)) {
    const raw = Buffer.from(text)
    const data = zlib.deflateRawSync(raw)
    const n = Buffer.from(name)
    const head = Buffer.alloc(30)
    head.writeUInt32LE(0x04034b50, 0); head.writeUInt16LE(20, 4); head.writeUInt16LE(8, 8)
    head.writeUInt32LE(zlib.crc32(raw), 14); head.writeUInt32LE(data.length, 18); head.writeUInt32LE(raw.length, 22)
    head.writeUInt16LE(n.length, 26)
    const cen = Buffer.alloc(46)
    cen.writeUInt32LE(0x02014b50, 0); cen.writeUInt16LE(20, 4); cen.writeUInt16LE(20, 6); cen.writeUInt16LE(8, 10)
    cen.writeUInt32LE(zlib.crc32(raw), 16); cen.writeUInt32LE(data.length, 20); cen.writeUInt32LE(raw.length, 24)
    cen.writeUInt16LE(n.length, 28); cen.writeUInt32LE(offset, 42)
    locals.push(head, n, data)
    centrals.push(cen, n)
    offset += 30 + n.length + data.length
  }
  const dir = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(centrals.length / 2, 8); end.writeUInt16LE(centrals.length / 2, 10)
  end.writeUInt32LE(dir.length, 12); end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, dir, end])
}

export function workbook(rows, sheetName) {
  const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
  const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
  const strings = []
  const cell = (ref, s) => `<c r="${ref}" t="s"><v>${strings.push(s) - 1}</v></c>`
  const sheet = rows.map((r, i) => `<row r="${i + 1}">${r.map((v, j) => cell(`${String.fromCharCode(65 + j)}${i + 1}`, v)).join('')}</row>`).join('')
  return zip({
    '[Content_Types].xml': '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      + '<Default Extension="xml" ContentType="application/xml"/></Types>',
    'xl/workbook.xml': `<?xml version="1.0"?><workbook xmlns="${NS}" xmlns:r="${R}"><sheets><sheet name="${sheetName}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
      + `<Relationship Id="rId1" Type="${R}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    'xl/worksheets/sheet1.xml': `<?xml version="1.0"?><worksheet xmlns="${NS}"><sheetData>${sheet}</sheetData></worksheet>`,
    'xl/sharedStrings.xml': `<?xml version="1.0"?><sst xmlns="${NS}">${strings.map((s) => `<si><t>${s}</t></si>`).join('')}</sst>`,
  })
}

// ---- reading: readWorkbook(buffer) for the export and template checks ----
// The entries of a zip by its central directory (stored or deflated; no zip64): name -> Buffer.
export function unzip(buf) {
  let end = buf.length - 22
  while (end >= 0 && buf.readUInt32LE(end) !== 0x06054b50) end--
  if (end < 0) throw new Error('not a zip: no end of central directory')
  const count = buf.readUInt16LE(end + 10)
  let p = buf.readUInt32LE(end + 16)
  const files = new Map()
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory entry')
    const method = buf.readUInt16LE(p + 10)
    const size = buf.readUInt32LE(p + 20)
    const nameLen = buf.readUInt16LE(p + 28), extraLen = buf.readUInt16LE(p + 30), commentLen = buf.readUInt16LE(p + 32)
    const local = buf.readUInt32LE(p + 42)
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8')
    // the local header's own name and extra lengths may differ from the central ones
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28)
    const data = buf.subarray(start, start + size)
    files.set(name, method === 8 ? zlib.inflateRawSync(data) : Buffer.from(data))
    p += 46 + nameLen + extraLen + commentLen
  }
  return files
}

const unescape = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'")
  .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
  .replace(/&#x([0-9a-f]+);/gi, (_, n) => String.fromCodePoint(parseInt(n, 16))).replace(/&amp;/g, '&')
const attr = (tag, name) => { const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag); return m ? unescape(m[1]) : null }
// The text of an <si> or <is>: every <t> run joined (rich text has several).
const runs = (xml) => [...xml.matchAll(/<t(?:\s[^>]*)?>([^<]*)<\/t>/g)].map((m) => unescape(m[1])).join('')

// Built-in number formats that are dates or times (ECMA-376 18.8.30).
const BUILTIN_DATES = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47])
const BUILTIN_FORMATS = { 0: 'General', 49: '@' }

// A column's letters to its 0-based index (A -> 0, AA -> 26).
export const colIndex = (letters) => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1

// Reads a workbook: { sheets: [{ name, xml, rows, cells, frozen, validations }], styles }.
// rows[r][c] is a cell { ref, type, value, style, numFmt, formula } (value: number for numeric
// cells, string otherwise); cells maps "B3" to the same; frozen is the pane's topLeftCell when the
// sheet freezes a pane (null otherwise); validations are the dataValidation elements
// ({ type, sqref, formula1 }). isDate(cell) says whether a numeric cell shows as a date.
export function readWorkbook(buf) {
  const files = unzip(buf)
  const text = (name) => files.get(name)?.toString('utf8') ?? ''
  const shared = [...text('xl/sharedStrings.xml').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => runs(m[1]))
  const stylesXml = text('xl/styles.xml')
  const numFmts = { ...BUILTIN_FORMATS }
  for (const m of stylesXml.matchAll(/<numFmt\s[^>]*>/g)) numFmts[Number(attr(m[0], 'numFmtId'))] = attr(m[0], 'formatCode')
  const xfsXml = /<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/.exec(stylesXml)?.[1] ?? ''
  const xfs = [...xfsXml.matchAll(/<xf\s[^>]*?\/?>/g)].map((m) => Number(attr(m[0], 'numFmtId') || 0))
  const styles = { numFmts, xfs }

  const rels = new Map([...text('xl/_rels/workbook.xml.rels').matchAll(/<Relationship\s[^>]*>/g)]
    .map((m) => [attr(m[0], 'Id'), attr(m[0], 'Target')]))
  const sheets = [...text('xl/workbook.xml').matchAll(/<sheet\s[^>]*>/g)].map((m) => {
    const target = rels.get(attr(m[0], 'r:id')).replace(/^\/?xl\//, '').replace(/^\//, '')
    const xml = text(`xl/${target}`)
    const rows = []
    const cells = {}
    for (const c of xml.matchAll(/<c\s([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const head = `<c ${c[1]}>`, body = c[2] ?? ''
      const ref = attr(head, 'r')
      const type = attr(head, 't') || 'n'
      const style = Number(attr(head, 's') || 0)
      const v = /<v>([^<]*)<\/v>/.exec(body)?.[1]
      let value = null
      if (type === 's') value = shared[Number(v)]
      else if (type === 'inlineStr') value = runs(body)
      else if (type === 'n') value = v === undefined ? null : Number(v)
      else value = v === undefined ? null : unescape(v)
      const f = /<f(?:\s[^>]*)?>([^<]*)<\/f>/.exec(body)?.[1]
      const cell = { ref, type, value, style, numFmt: numFmts[xfs[style] ?? 0] ?? `#${xfs[style]}`, numFmtId: xfs[style] ?? 0,
                     formula: f === undefined ? null : unescape(f) }
      const [, letters, digits] = /^([A-Z]+)(\d+)$/.exec(ref)
      ;(rows[Number(digits) - 1] ??= [])[colIndex(letters)] = cell
      cells[ref] = cell
    }
    const pane = /<pane\s[^>]*>/.exec(xml)?.[0]
    const frozen = pane && /state="frozen"/.test(pane) ? attr(pane, 'topLeftCell') : null
    const validations = [...xml.matchAll(/<dataValidation\s([^>]*)>([\s\S]*?)<\/dataValidation>/g)].map((d) => ({
      type: attr(`<x ${d[1]}>`, 'type'), sqref: attr(`<x ${d[1]}>`, 'sqref'),
      formula1: unescape(/<formula1>([\s\S]*?)<\/formula1>/.exec(d[2])?.[1] ?? ''),
    }))
    // column styles (<col min max style>) say how a column's empty cells are formatted
    const cols = [...xml.matchAll(/<col\s[^>]*>/g)].map((m) => ({
      min: Number(attr(m[0], 'min')), max: Number(attr(m[0], 'max')), style: Number(attr(m[0], 'style') || 0),
    }))
    return { name: attr(m[0], 'name'), xml, rows: Array.from(rows, (r) => r ?? []), cells, frozen, validations, cols }
  })
  return { sheets, styles }
}

// The number format of a style index (format code text; '@' is text).
export const styleFormat = (styles, s) => styles.numFmts[styles.xfs[s] ?? 0] ?? `#${styles.xfs[s]}`

// Whether a cell is a date: a number whose format is a built-in date or a code with y/m/d in it
// (outside quoted text and brackets).
export function isDate(cell) {
  if (!cell || cell.type !== 'n' || typeof cell.value !== 'number') return false
  if (BUILTIN_DATES.has(cell.numFmtId)) return true
  const code = String(cell.numFmt || '').replace(/"[^"]*"/g, '').replace(/\[[^\]]*\]/g, '')
  return /[yd]/i.test(code) || /m/i.test(code) && !/^[#0.,%]*$/.test(code)
}
