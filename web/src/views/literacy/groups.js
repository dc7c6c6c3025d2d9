// The population groups of literacy surveys (server: GET /literacy/groups): the dimensions in
// order and a row's label, "性别 · 女", never the code.
import { t } from '../../i18n/index.js'

export const DIMS = ['all', 'age', 'gender', 'area', 'education', 'occupation']

export function groupLabelOf(groups, dim, value) {
  if (dim === 'all') return t('literacy.dims.all')
  const g = groups.find((x) => x.group_dim === dim && x.group_value === value)
  return `${t(`literacy.dims.${dim}`)} · ${g ? g.label : '—'}`
}
