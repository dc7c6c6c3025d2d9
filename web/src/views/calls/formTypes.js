// The 13 field types of a call's form (src/calls/call_form.c) as the designer edits them: a new
// field of a type gets that type's members, a changed type drops the old ones, and before saving
// the empty optional members are left out (the server checks what is sent).
export const FIELD_TYPES = ['text', 'long_text', 'number', 'money', 'date', 'choice', 'node', 'person', 'file', 'photo',
  'checklist', 'rows', 'figure']
export const SCALAR_TYPES = ['text', 'number', 'money', 'date', 'choice']   // allowed as columns of rows
export const METRICS = ['courses', 'activities', 'participants', 'teacher_courses']

const MEMBERS = {
  text: ['max'], long_text: ['max'], number: ['min', 'max'], money: ['max'], date: ['min', 'max'],
  choice: ['options', 'multiple'], node: ['org_types'], person: ['person_kind'], file: ['max_files'], photo: ['max_files'],
  checklist: ['items'], rows: ['columns', 'min_rows', 'max_rows'], figure: ['metric', 'period', 'of'],
}
const DEFAULTS = {
  choice: () => ({ options: [], multiple: false }),
  person: () => ({ person_kind: 'any' }),
  checklist: () => ({ items: [{ key: 'item_1', label: '', evidence: true }] }),
  rows: () => ({ columns: [{ key: 'col_1', label: '', type: 'text' }] }),
  figure: () => ({ metric: 'courses', period: 'call_year' }),
}

// A new field of type `type`, its key unique among `form`.
export function newField(form, type = 'text') {
  let n = form.length + 1
  while (form.some((f) => f.key === `field_${n}`)) n++
  return { key: `field_${n}`, label: '', type, required: false, ...(DEFAULTS[type]?.() || {}) }
}

// After the type changed in place: the members of the old type go, the new one's defaults come.
export function retypeField(field) {
  for (const k of Object.keys(field)) {
    if (!['key', 'label', 'type', 'required'].includes(k) && !MEMBERS[field.type].includes(k)) delete field[k]
  }
  Object.assign(field, { ...(DEFAULTS[field.type]?.() || {}), ...Object.fromEntries(
    Object.entries(field).filter(([k]) => MEMBERS[field.type].includes(k))) })
  if (field.type === 'figure') delete field.required
}

const empty = (v) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0 && v !== undefined)

// The form as the API takes it: members of the type only, empty optional ones left out (but a
// checklist's items, options and columns are always sent, so an empty one is the server's 422).
export function cleanForm(form) {
  return form.map((f) => {
    const out = { key: f.key, label: f.label, type: f.type }
    if (f.type !== 'figure' && f.required) out.required = true
    for (const k of MEMBERS[f.type] || []) {
      if (['items', 'options', 'columns'].includes(k)) out[k] = k === 'columns' ? cleanForm(f[k] || []) : (f[k] || [])
      else if (k === 'multiple') { if (f.multiple) out.multiple = true }
      else if (!empty(f[k])) out[k] = f[k]
    }
    return out
  })
}
