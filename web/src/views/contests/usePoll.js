// A tab that refreshes itself (issue 17 E): load() when the tab opens, then every `ms` while it
// stays open and the browser tab is visible; nothing while closed or when the page goes away.
import { watch, onBeforeUnmount } from 'vue'

export function usePoll(load, isActive, ms = 10000) {
  let timer = null
  const stop = () => { clearInterval(timer); timer = null }
  const start = () => {
    stop()
    load()
    timer = setInterval(() => { if (!document.hidden) load() }, ms)
  }
  watch(isActive, (on) => (on ? start() : stop()), { immediate: true })
  onBeforeUnmount(stop)
}
