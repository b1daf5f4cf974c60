// django-import-export's export page calls onSelectToggleChange from an inline onchange attribute, which the content
// security policy refuses: the "Select all" box is bound here instead.
document.addEventListener("DOMContentLoaded", () => {
  for (const toggle of document.querySelectorAll("input.select-toggle")) {
    toggle.addEventListener("change", (event) => window.onSelectToggleChange(event));
  }
});
