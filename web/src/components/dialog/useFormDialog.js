// The state of one form dialog, declared once for every create / edit dialog of the UI: the
// form's values, the el-form (its rules are checked before sending), the busy flag while the
// request runs, and the server's field errors shown on their field. FormDialog.vue renders the
// dialog around it.
//
//   const dialog = useFormDialog({
//     fields: ['name', 'code'],                    // fields whose server errors land on the field
//     initial: () => ({ name: props.org?.name || '', code: '' }),   // the values on each open
//     save: (form) => createOrg({ ...form }, { silent: true }),     // resolves what was saved
//     done: (saved) => { emit('update:modelValue', false); emit('saved', saved) },
//     success: () => t('common.saved'),            // the toast after a save (optional)
//   })
//
// save() should ask with { silent: true }: its ApiError goes to the field named by the error's
// `field` when the dialog shows it (else it is shown as a message), or to onError(err, errors)
// when the dialog handles errors its own way. check() is a check of the dialog's own besides the
// rules and confirm(form) a question before sending (false from either keeps the dialog from
// sending); opened() runs after each reset. validate: false leaves the checking to the server (the
// form's `required` marks are then only marks). keep: true keeps what was typed when the dialog is
// cancelled and opened again (a return reason); the form starts afresh only after a save.
import { ref, reactive } from 'vue'
import { ElMessage } from 'element-plus'
import { showFormError } from '../../api/http.js'

// onError for dialogs that mark any field the server names and always show the message too.
export function markAndShow(e, errors) {
  if (e.field) errors[e.field] = e.message
  ElMessage.error(e.message)
}

export function useFormDialog({
  fields = [], initial = () => ({}), save, done = () => {}, success, onError, check, confirm, opened, validate = true,
  keep = false,
} = {}) {
  const formRef = ref(null)
  const form = reactive(initial())
  const errors = reactive({})
  const busy = ref(false)
  let fresh = keep  // with keep: the form holds its initial values or what was typed since

  function clearErrors() { Object.keys(errors).forEach((f) => delete errors[f]) }

  // On open: the initial values, no errors, no validation marks.
  function reset() {
    clearErrors()
    if (!fresh) Object.assign(form, initial())
    fresh = keep
    if (opened) opened()
    formRef.value?.clearValidate()
  }

  async function submit() {
    clearErrors()
    const own = check ? check() : true
    const ok = validate && formRef.value ? await formRef.value.validate().catch(() => false) : true
    if (!ok || !own || busy.value) return
    if (confirm && !(await confirm(form))) return
    busy.value = true
    try {
      const saved = await save(form)
      const text = success && success(saved)
      if (text) ElMessage.success(text)
      if (keep) Object.assign(form, initial())
      done(saved)
    } catch (e) {
      if (onError) onError(e, errors)
      else showFormError(e, errors, fields)
      // On a phone the field may be far above the buttons.
      if (e && fields.includes(e.field)) formRef.value?.scrollToField(e.field)
    } finally {
      busy.value = false
    }
  }

  return { formRef, form, errors, busy, reset, submit, clearErrors }
}
