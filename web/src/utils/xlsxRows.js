// The number of rows of an .xlsx file's first worksheet, counted in the browser before the
// upload, so that an import can say "checking 3,000 rows…" while the server works. An .xlsx is
// a zip: the central directory names the sheet's entry, which is inflated with the browser's
// DecompressionStream and scanned for <row> elements, chunk by chunk. Resolves null whenever it
// cannot tell (not a zip, zip64, no DecompressionStream): the caller then shows no count.

const EOCD = 0x06054b50
const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50

async function bytes(file, from, to) {
  return new DataView(await file.slice(from, to).arrayBuffer())
}

// The central directory's entries: { name, method, size, offset }.
async function entries(file) {
  const tailStart = Math.max(0, file.size - 65557)
  const tail = await bytes(file, tailStart, file.size)
  let eocd = -1
  for (let i = tail.byteLength - 22; i >= 0; i--) {
    if (tail.getUint32(i, true) === EOCD) { eocd = i; break }
  }
  if (eocd < 0) return null
  const count = tail.getUint16(eocd + 10, true)
  const size = tail.getUint32(eocd + 12, true)
  const start = tail.getUint32(eocd + 16, true)
  if (start === 0xffffffff || start + size > file.size) return null
  const dir = await bytes(file, start, start + size)
  const names = new TextDecoder()
  const out = []
  for (let p = 0, n = 0; n < count && p + 46 <= dir.byteLength; n++) {
    if (dir.getUint32(p, true) !== CENTRAL) return null
    const nameLen = dir.getUint16(p + 28, true)
    const skip = nameLen + dir.getUint16(p + 30, true) + dir.getUint16(p + 32, true)
    out.push({
      method: dir.getUint16(p + 10, true),
      size: dir.getUint32(p + 20, true),
      offset: dir.getUint32(p + 42, true),
      name: names.decode(new Uint8Array(dir.buffer, dir.byteOffset + p + 46, nameLen)),
    })
    p += 46 + skip
  }
  return out
}

// The first worksheet: sheet1.xml, else the lowest numbered one.
function firstSheet(list) {
  const sheets = list.filter((e) => /^xl\/worksheets\/sheet\d+\.xml$/.test(e.name))
  sheets.sort((a, b) => Number(a.name.match(/\d+/)[0]) - Number(b.name.match(/\d+/)[0]))
  return sheets[0] || null
}

async function countRows(stream) {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader()
  const re = /<row[\s>]/g
  let rows = 0
  let carry = ''
  for (;;) {
    const { value, done } = await reader.read()
    if (done) break
    const text = carry + value
    rows += (text.match(re) || []).length
    // a tag cut at the chunk's end ("<ro") has not matched: it is scanned again with the next chunk
    const cut = text.lastIndexOf('<')
    carry = cut >= 0 && text.length - cut < 5 ? text.slice(cut) : ''
  }
  return rows
}

// Resolves the count of data rows (the header row left out), or null.
export async function xlsxDataRows(file) {
  try {
    if (typeof DecompressionStream === 'undefined' || !file) return null
    const list = await entries(file)
    const sheet = list && firstSheet(list)
    if (!sheet || (sheet.method !== 0 && sheet.method !== 8)) return null
    const local = await bytes(file, sheet.offset, sheet.offset + 30)
    if (local.getUint32(0, true) !== LOCAL) return null
    const data = sheet.offset + 30 + local.getUint16(26, true) + local.getUint16(28, true)
    let stream = file.slice(data, data + sheet.size).stream()
    if (sheet.method === 8) stream = stream.pipeThrough(new DecompressionStream('deflate-raw'))
    const rows = await countRows(stream)
    return Math.max(0, rows - 1)
  } catch {
    return null
  }
}
