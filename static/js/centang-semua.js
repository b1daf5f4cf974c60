// The planner's "tick all on this page" box and the count of ticked e-warong.
const all = document.querySelector("[data-centang-semua]");
const boxes = [...document.querySelectorAll("[data-ewarong]")];
const count = document.querySelector("[data-jumlah-dicentang]");

function refresh() {
  const ticked = boxes.filter((box) => box.checked).length;
  if (count) count.textContent = ticked.toLocaleString("id-ID");
  if (all) {
    all.checked = ticked > 0 && ticked === boxes.length;
    all.indeterminate = ticked > 0 && ticked < boxes.length;
  }
}

all?.addEventListener("change", () => {
  boxes.forEach((box) => { box.checked = all.checked; });
  refresh();
});
boxes.forEach((box) => box.addEventListener("change", refresh));
refresh();
