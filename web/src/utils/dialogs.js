// Confirmation and prompt boxes with button texts in the current language (ElMessageBox is
// created outside the component tree, so it does not see the config provider's locale).
import { ElMessageBox } from 'element-plus'
import { t } from '../i18n/index.js'

// Resolves true when confirmed, false when cancelled or closed.
export async function confirmBox(message, { title, type = 'warning' } = {}) {
  try {
    await ElMessageBox.confirm(message, title || t('common.tip'), {
      type,
      confirmButtonText: t('common.confirm'),
      cancelButtonText: t('common.cancel'),
      customClass: 'kepu-confirm',
    })
    return true
  } catch {
    return false
  }
}

// Resolves the entered text, or null when cancelled.
export async function promptBox(message, { title, inputType = 'text', validator } = {}) {
  try {
    const { value } = await ElMessageBox.prompt(message, title || t('common.tip'), {
      inputType,
      inputValidator: validator,
      confirmButtonText: t('common.confirm'),
      cancelButtonText: t('common.cancel'),
      customClass: 'kepu-prompt',
    })
    return value
  } catch {
    return null
  }
}
