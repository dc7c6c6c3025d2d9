// Whether an API error means "no such record": 404 (absent, deleted or out of scope), or 400 for
// an id in the address that is not a number. Detail pages then show components/NotFound.vue.
export const isMissing = (e) => e?.status === 404 || e?.status === 400
