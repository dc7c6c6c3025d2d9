// 打印 of a list page (ListToolbar's print button): the card holding the table is marked
// .print-area and the body .printing-list, and the print stylesheet (print.css) shows only that
// card's table: no menu, top bar, filters, pager, selection or action columns (class-name
// "no-print"), a title line with the page's name and the time. The marks go after printing.
import './print.css'

export function printList(el, title) {
  const area = el?.closest('.page-card') || el
  if (!area) return
  const heading = title || document.title
  area.classList.add('print-area')
  area.dataset.printTitle = heading
  document.body.classList.add('printing-list')
  const done = () => {
    area.classList.remove('print-area')
    delete area.dataset.printTitle
    document.body.classList.remove('printing-list')
    window.removeEventListener('afterprint', done)
  }
  window.addEventListener('afterprint', done)
  window.print()
}
