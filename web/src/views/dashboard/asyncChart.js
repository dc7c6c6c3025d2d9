// The chart wrapper, loaded on demand: ECharts is most of the dashboard's weight, so the page and
// its KPI cards show while it is still coming down.
import { defineAsyncComponent } from 'vue'

export default defineAsyncComponent(() => import('../../components/charts/EChart.vue'))
