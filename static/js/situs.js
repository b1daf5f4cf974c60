// Small behaviours of every page, here instead of inline handlers, which the content security policy refuses.
// form[data-kirim-otomatis]: sent as soon as one of its fields changes (filters, period choice).
// [data-konfirmasi="question"]: a button whose click goes on only if the user confirms the question.
document.addEventListener("change", (event) => {
  const form = event.target.closest && event.target.closest("form[data-kirim-otomatis]");
  if (form) form.requestSubmit();
});
document.addEventListener("click", (event) => {
  const button = event.target.closest && event.target.closest("[data-konfirmasi]");
  if (button && !window.confirm(button.dataset.konfirmasi)) event.preventDefault();
});
