// Small behaviours of every page, here instead of inline handlers, which the content security policy refuses.
// form[data-kirim-otomatis]: sent as soon as one of its fields changes (filters, period choice).
// [data-konfirmasi="question"]: a button whose click goes on only if the user confirms the question.
// [data-lebar="42"] and [data-tinggi="260"]: a width in percent (progress bars) and a height in pixels (chart boxes)
// computed on the server; the policy refuses style attributes, so they are set here, again in what htmx swaps in.
document.addEventListener("change", (event) => {
  const form = event.target.closest && event.target.closest("form[data-kirim-otomatis]");
  if (form) form.requestSubmit();
});
document.addEventListener("click", (event) => {
  const button = event.target.closest && event.target.closest("[data-konfirmasi]");
  if (button && !window.confirm(button.dataset.konfirmasi)) event.preventDefault();
});

function applySizes(root) {
  const sized = [...root.querySelectorAll("[data-lebar], [data-tinggi]")];
  if (root.matches && root.matches("[data-lebar], [data-tinggi]")) sized.push(root);
  for (const element of sized) {
    if (element.dataset.lebar !== undefined) element.style.width = `${element.dataset.lebar}%`;
    if (element.dataset.tinggi !== undefined) element.style.height = `${element.dataset.tinggi}px`;
  }
}
applySizes(document);
document.addEventListener("htmx:load", (event) => applySizes(event.target));
