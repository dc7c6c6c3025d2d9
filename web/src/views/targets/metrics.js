// Names of statistics metrics for the targets and forms pages: the eight base figures come from
// i18n, `kind.<code>` and `audience.<code>` from the server's dictionaries (loaded once, kept for
// the session, so an admin's new activity kind shows up after a reload), and so do the calls'
// metrics: `titles.<kind>` (new titles), `call_entries.<template>` (entries submitted) and the
// funds awarded and paid, so "10 new bases a year" or "3 lectures per society" are targets.
import { ref, computed } from 'vue'
import { listActivityKinds, listAudiences, listTitleKinds, listCallTemplates } from '../../api/targets.js'
import { t } from '../../i18n/index.js'

export const BASE_METRICS = ['activities', 'participants', 'materials', 'videos', 'views',
  'volunteers', 'volunteer_hours', 'funds']

// Base metrics already fed by the activity register: a form field mapped to one of these counts
// twice when the filler also registers the activities themselves.
export const REGISTER_METRICS = BASE_METRICS

// Metrics of modules kept as keyed counters (held courses); named by the courses texts.
export const MODULE_METRICS = ['courses', 'attendance', 'teaching_hours']

// Ratio metrics (issue 17 C): a percentage with 2 decimals, its goal too (15.00).
export const RATIO_METRICS = ['literacy_rate']
export const isRatio = (code) => RATIO_METRICS.some((m) => code === m || (code || '').startsWith(`${m}.`))

// Metrics of the calls engine with fixed names.
export const FUND_METRICS = ['funds_awarded', 'funds_disbursed']

// The public face's counts (issue 18): "10 million views a year" is a target like the others:
// the library's views, the portal's page views and the 科普e站 screens' plays.
export const RESOURCE_METRICS = ['resource_views', 'portal_views', 'screen_plays']

export const kinds = ref([])
export const audiences = ref([])
export const titleKinds = ref([])
export const callTemplates = ref([])
let loading = null

export function loadMetricDicts() {
  if (!loading) {
    loading = Promise.all([
      listActivityKinds().then((r) => { kinds.value = r.items || [] }).catch(() => {}),
      listAudiences().then((r) => { audiences.value = r.items || [] }).catch(() => {}),
      listTitleKinds().then((r) => { titleKinds.value = r.items || [] }).catch(() => {}),
      listCallTemplates().then((r) => { callTemplates.value = r.items || [] }).catch(() => {}),
    ])
  }
  return loading
}

export function metricLabel(code) {
  if (!code) return '—'
  if (BASE_METRICS.includes(code)) return t(`targets.metrics.${code}`)
  if (MODULE_METRICS.includes(code)) return t(`courses.metrics.${code}`)
  if (isRatio(code)) return t('literacy.metric')
  const [group, sub] = code.split('.', 2)
  if (group === 'kind') {
    const name = kinds.value.find((k) => k.code === sub)?.name || sub
    return t('targets.metricKind', { name })
  }
  if (group === 'audience') {
    const name = audiences.value.find((a) => a.code === sub)?.name || sub
    return t('targets.metricAudience', { name })
  }
  if (FUND_METRICS.includes(code) || RESOURCE_METRICS.includes(code)) return t(`targets.metrics.${code}`)
  if (group === 'titles' || group === 'titles_revoked') {
    const name = titleKinds.value.find((k) => k.code === sub)?.name || sub
    return t(group === 'titles' ? 'targets.metricTitles' : 'targets.metricTitlesRevoked', { name })
  }
  if (group === 'call_entries') {
    const name = callTemplates.value.find((k) => k.code === sub)?.name || sub
    return t('targets.metricEntries', { name })
  }
  return code
}

// Grouped options for an el-select (base figures, by activity kind, by audience).
export const metricGroups = computed(() => [
  { label: t('targets.groupBase'), options: BASE_METRICS.map((c) => ({ value: c, label: metricLabel(c) })) },
  { label: t('courses.menu'), options: MODULE_METRICS.map((c) => ({ value: c, label: metricLabel(c) })) },
  { label: t('targets.groupKind'),
    options: kinds.value.filter((k) => k.active !== false)
      .map((k) => ({ value: `kind.${k.code}`, label: metricLabel(`kind.${k.code}`) })) },
  { label: t('targets.groupAudience'),
    options: audiences.value.map((a) => ({ value: `audience.${a.code}`, label: metricLabel(`audience.${a.code}`) })) },
  { label: t('targets.groupCalls'),
    options: [
      ...titleKinds.value.map((k) => ({ value: `titles.${k.code}`, label: metricLabel(`titles.${k.code}`) })),
      ...callTemplates.value.filter((k) => k.builtin)
        .map((k) => ({ value: `call_entries.${k.code}`, label: metricLabel(`call_entries.${k.code}`) })),
      ...FUND_METRICS.map((c) => ({ value: c, label: metricLabel(c) })),
    ] },
  { label: t('bo.group.literacy'), options: RATIO_METRICS.map((c) => ({ value: c, label: metricLabel(c) })) },
  { label: t('targets.groupResources'), options: RESOURCE_METRICS.map((c) => ({ value: c, label: metricLabel(c) })) },
].filter((g) => g.options.length))
