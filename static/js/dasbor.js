// Draws every chart of the dashboard from the JSON next to its canvas, and again after htmx swaps in new figures.
(function () {
  const charts = {};
  window.dasborCharts = charts;
  const COLOURS = ["#0b5d8f", "#e0a030", "#2e8b57", "#c0392b", "#6f42c1"];
  const number = new Intl.NumberFormat("id-ID");
  const compact = new Intl.NumberFormat("id-ID", { notation: "compact", maximumFractionDigits: 1 });

  function scales(spec) {
    if (spec.axes === "rupiah_persen") {
      return {
        rp: { position: "left", beginAtZero: true, ticks: { callback: (v) => `Rp${compact.format(v)}` } },
        persen: { position: "right", min: 0, max: 100, grid: { drawOnChartArea: false }, ticks: { callback: (v) => `${v}%` } },
      };
    }
    if (spec.axes === "persen_horizontal") {
      return { x: { min: 0, max: 100, ticks: { callback: (v) => `${v}%` } }, y: { ticks: { autoSkip: false } } };
    }
    return { y: { beginAtZero: true, ticks: { precision: 0 } } };
  }

  function tooltipLabel(context) {
    const label = context.dataset.label || "";
    const value = context.parsed[context.chart.options.indexAxis === "y" ? "x" : "y"];
    if (value === null || value === undefined) return `${label}: –`;
    if (label.includes("(%)")) return `${label}: ${number.format(value)}%`;
    if (label.includes("(Rp)")) return `${label}: Rp${number.format(value)}`;
    return `${label}: ${number.format(value)}`;
  }

  function draw(canvas) {
    const spec = JSON.parse(document.getElementById(canvas.dataset.chart).textContent);
    const datasets = spec.datasets.map((d, i) => ({
      ...d,
      backgroundColor: COLOURS[i % COLOURS.length],
      borderColor: COLOURS[i % COLOURS.length],
    }));
    charts[canvas.id] = new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets },
      options: {
        locale: "id-ID",
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: spec.axes === "persen_horizontal" ? "y" : "x",
        scales: scales(spec),
        plugins: {
          legend: { display: datasets.length > 1, position: "bottom" },
          tooltip: { callbacks: { label: tooltipLabel } },
        },
      },
    });
  }

  function refresh() {
    for (const [id, chart] of Object.entries(charts)) {
      if (!document.body.contains(chart.canvas)) {
        chart.destroy();
        delete charts[id];
      }
    }
    document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
      if (!Chart.getChart(canvas)) draw(canvas);
    });
  }

  refresh();
  document.body.addEventListener("htmx:afterSettle", refresh);
})();
