// Issue 14 item 5, the static half (no browser, run by tests/e2e/run.sh with the browser tests):
// every i18n key web/src uses has a text in Chinese and in English, and every entity, audit action
// and entity field the server declares in src/ has a name in the audit log's dictionaries, so the
// audit log never shows a code. A new entity or field without a name fails the build here.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const WEB = join(ROOT, 'web', 'src')

function walk(dir, ext, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) walk(p, ext, out)
    else if (ext.some((e) => name.endsWith(e))) out.push(p)
  }
  return out
}

// The messages as web/src/i18n/index.js merges them: zh.js / en.js, then each module deeply (two
// modules may fill one section: todo.kind, auditEntity).
function merge(into, from) {
  for (const [k, v] of Object.entries(from || {})) {
    if (v && typeof v === 'object' && into[k] && typeof into[k] === 'object') into[k] = merge({ ...into[k] }, v)
    else into[k] = v
  }
  return into
}
async function messages() {
  const m = { zh: { ...(await import(join(WEB, 'i18n', 'zh.js'))).default },
    en: { ...(await import(join(WEB, 'i18n', 'en.js'))).default } }
  for (const f of walk(join(WEB, 'i18n', 'modules'), ['.js'])) {
    const mod = (await import(f)).default
    for (const l of ['zh', 'en']) merge(m[l], mod[l])
  }
  return m
}
const lookup = (dict, key) => key.split('.').reduce((n, part) => (n == null ? undefined : n[part]), dict)

// Keys written literally: t('a.b'), t(`a.b`), title: 'a.b' in the router, and for keys built
// with ${...} the fixed part before it (t(`dashboard.status.${s}`) needs dashboard.status).
function usedKeys() {
  const keys = new Map() // key -> { file, prefix }
  const KEY = '[a-zA-Z][a-zA-Z0-9_]*(?:\\.[a-zA-Z0-9_]+)+'
  const patterns = [
    [new RegExp(`\\bt\\(\\s*'(${KEY})'`, 'g'), false],
    [new RegExp(`\\bt\\(\\s*"(${KEY})"`, 'g'), false],
    [new RegExp(`\\bt\\(\\s*\`(${KEY})\``, 'g'), false],
    [new RegExp(`\\btitle:\\s*'(${KEY})'`, 'g'), false],
    [new RegExp(`\\bt\\(\\s*\`(${KEY})\\.\\$\\{`, 'g'), true],
  ]
  for (const f of walk(WEB, ['.vue', '.js'])) {
    if (f.includes(`${join('src', 'i18n')}`)) continue
    const text = readFileSync(f, 'utf8')
    for (const [re, prefix] of patterns) {
      for (const m of text.matchAll(re)) keys.set(m[1], { file: f.slice(ROOT.length + 1), prefix })
    }
  }
  return keys
}

test('every i18n key used in web/src has a Chinese and an English text', async () => {
  const m = await messages()
  const keys = usedKeys()
  assert.ok(keys.size > 300, `found only ${keys.size} keys: the scan is broken`)
  const missing = []
  for (const [key, { file, prefix }] of keys) {
    for (const l of ['zh', 'en']) {
      const v = lookup(m[l], key)
      const ok = prefix ? v && typeof v === 'object' : typeof v === 'string'
      if (!ok) missing.push(`${l}: ${key} (${file})`)
    }
  }
  assert.deepEqual(missing, [], 'keys without a text')
})

// Names the server writes into the audit log: entity names (`.name = "teacher"` in entity
// tables, attachments' audit_entity), actions (audit_record / entity_audit literals) and fields
// (the JSON names of entity fields, which are the keys of an entry's `changes`).
function serverNames() {
  const files = walk(join(ROOT, 'src'), ['.c', '.h'])
  const entities = new Set(['session'])
  const actions = new Set(['create', 'update', 'delete'])
  const fields = new Set()
  for (const f of files) {
    const s = readFileSync(f, 'utf8')
    for (const m of s.matchAll(/^\s*\.name = "([a-z_]+)",/gm)) entities.add(m[1])
    for (const m of s.matchAll(/\.audit_entity = "([a-z_]+)"/g)) entities.add(m[1])
    // audit_record(c, who, path, "entity", id, "action", ...): the two literals around the id
    for (const call of s.matchAll(/audit_record\([^;]*;/g)) {
      const m = /"([a-z_]+)",\s*[\w.>-]+,\s*"([a-z_]+)",/.exec(call[0])
      if (m) { entities.add(m[1]); actions.add(m[2]) }
    }
    for (const m of s.matchAll(/entity_audit\([^;]*?"([a-z_]+)"/g)) actions.add(m[1])
    for (const m of s.matchAll(/\{"([a-z_0-9]+)", *"[^"]*", *FT_/g)) fields.add(m[1])
    for (const m of s.matchAll(/^\s*(?:COUNT|FIGURE)\("([a-z_]+)"/gm)) fields.add(m[1])
  }
  return { entities, actions, fields }
}

test('every entity, audit action and field of src/ has a name in both languages', async () => {
  const m = await messages()
  const { entities, actions, fields } = serverNames()
  assert.ok(entities.size >= 30 && fields.size >= 150 && actions.size >= 15,
    `the scan found too few names (${entities.size} entities, ${actions.size} actions, ${fields.size} fields)`)
  const missing = []
  for (const [dict, names] of [['auditEntity', entities], ['auditAction', actions], ['auditField', fields]]) {
    for (const n of names) {
      for (const l of ['zh', 'en']) if (typeof m[l][dict]?.[n] !== 'string') missing.push(`${l}: ${dict}.${n}`)
    }
  }
  assert.deepEqual(missing, [], 'server names with no label')
})
