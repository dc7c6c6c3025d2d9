// Shared by the resource library's pages: the kinds and statuses in the server's order
// (src/resources/resources.c), their tag colours, the topics (the teaching categories, loaded once
// per visit of the page) with their names, and what the caller may do with a resource.
import { ref } from 'vue'
import { listCategories } from '../../api/plans.js'
import { user, roleRank } from '../../stores/session.js'
import { t, lang } from '../../i18n/index.js'

export const KINDS = ['video', 'audio', 'slides', 'document', 'ebook', 'images']
export const STATUSES = ['draft', 'pending', 'approved', 'rejected', 'withdrawn']
export const MAX_MB = 20   // the server's upload limit (KEPU_MAX_UPLOAD, 20 MiB by default)
export const MAX_MEDIA_MB = 2048   // a video or audio resource's (KEPU_MAX_MEDIA_UPLOAD, 2 GiB)
// what a resource of the kind may take, in MB
export const maxMbOf = (kind) => (kind === 'video' || kind === 'audio' ? MAX_MEDIA_MB : MAX_MB)

const TAGS = { draft: 'info', pending: 'warning', approved: 'success', rejected: 'danger', withdrawn: 'info' }
export const statusType = (s) => TAGS[s] || 'info'
export const kindName = (k) => (k ? t(`resources.kinds.${k}`) : t('common.none'))
export const statusName = (s) => (s ? t(`resources.st.${s}`) : t('common.none'))

export const categories = ref([])
export async function loadCategories() {
  try {
    const res = await listCategories()
    categories.value = [...(res.items || [])].sort((a, b) => (a.sort ?? 0) - (b.sort ?? 0))
  } catch { /* the codes' own names below */ }
}

// The server's names are Chinese; English ones come from the question bank's texts of the same
// codes (the course topics), else the server's name.
export function topicName(code) {
  if (lang.value === 'en') {
    const own = t(`questions.cat.${code}`)
    if (own !== `questions.cat.${code}`) return own
  }
  return categories.value.find((c) => c.code === code)?.name || code
}

export const canWrite = () => roleRank(user.value?.role) >= 2

// The uploader's side changes a resource: r.writable comes with a read by id (false in lists).
export const mayEdit = (r) => canWrite() && r?.writable && ['draft', 'rejected', 'approved'].includes(r.status)
export const mayUpload = (r) => canWrite() && r?.writable && !['pending', 'withdrawn'].includes(r.status)
export const maySubmit = (r) => canWrite() && r?.writable && ['draft', 'rejected'].includes(r.status)
export const mayWithdraw = (r) => canWrite() && r?.writable && r.status !== 'withdrawn'
export const mayDelete = (r) => canWrite() && r?.writable && ['draft', 'rejected'].includes(r.status) && !r.uses
// The level above reviews: staff whose scope covers the uploader's node but whose home node is
// another (the server also lets the top node approve its own, and decides in every case).
export const mayReview = (r) => canWrite() && r?.writable && r.status === 'pending' &&
  (user.value?.org_id !== r.org_id || user.value?.role === 'admin')

// How a version's file is shown: played inline, an image, a document opened in the browser's own
// viewer, or only downloaded. The resource's kind decides for video and audio (a resource of
// kind video is meant to be played), the file's sniffed type otherwise.
export function previewOf(kind, mime) {
  const m = mime || ''
  if (kind === 'video' || m.startsWith('video/')) return 'video'
  if (kind === 'audio' || m.startsWith('audio/')) return 'audio'
  if (m.startsWith('image/')) return 'image'
  if (m === 'application/pdf') return 'pdf'
  return 'none'
}

export function sizeText(n) {
  if (n == null) return '—'
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}
