// The activity kinds and audiences the register's list, form and drawer share, loaded once per
// visit of the page (an admin may have changed the kinds meanwhile). Names for codes fall back
// to the code itself, or to the built-in audience names when the server has no audience list.
import { ref, computed } from 'vue'
import { listKinds, listAudiences } from '../../api/dictionaries.js'
import { t, label, lang } from '../../i18n/index.js'

const AUDIENCE_CODES = ['youth', 'farmers', 'workers', 'elderly', 'officials', 'public']

export const kinds = ref([])
const serverAudiences = ref([])

export async function loadDicts() {
  const [k, a] = await Promise.allSettled([listKinds({ silent: true }), listAudiences({ silent: true })])
  if (k.status === 'fulfilled') kinds.value = [...(k.value.items || [])].sort((x, y) => (x.sort ?? 0) - (y.sort ?? 0))
  if (a.status === 'fulfilled') serverAudiences.value = a.value.items || []
}

export const activeKinds = computed(() => kinds.value.filter((k) => k.active !== false))

export function kindName(code) {
  if (!code) return t('common.none')
  return kinds.value.find((k) => k.code === code)?.name || code
}

// Chinese names come from the server; English from our own texts (the server's are Chinese).
export function audienceName(code) {
  if (!code) return t('common.none')
  const own = label('activities.aud', code)
  if (lang.value === 'en' && own !== code) return own
  return serverAudiences.value.find((a) => a.code === code)?.name || own
}

export const audienceOptions = computed(() => {
  const codes = serverAudiences.value.length ? serverAudiences.value.map((a) => a.code) : AUDIENCE_CODES
  return codes.map((code) => ({ value: code, label: audienceName(code) }))
})

// Today's date in Asia/Shanghai as YYYY-MM-DD, whatever the browser's own zone.
const shanghaiDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit',
})
export const todayShanghai = () => shanghaiDay.format(new Date())
