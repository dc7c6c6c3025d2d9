// The one public base of every QR code and link (server: http/public_url.c): the base for this
// page's address and whether KEPU_PUBLIC_URL is set, and the QR code of a path of the site.
import { http } from './http.js'
import { fetchBlob } from '../utils/download.js'

export const linkBase = (opts) => http.get('/links/base', undefined, opts)
export const linkQr = (path) => fetchBlob('/links/qr.svg', { path }, { silent: true })
