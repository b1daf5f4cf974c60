// The DKI map: kecamatan or kelurahan coloured by the chosen measure, e-warong as dots coloured by risk.
// It draws the shipped boundaries alone; a base layer is added only when the site sets PETA_TILE_URL.
(function () {
  const element = document.getElementById("peta");
  const data = JSON.parse(document.getElementById("peta-data").textContent);
  const number = new Intl.NumberFormat("id-ID", { maximumFractionDigits: 1 });
  const HIGHER_IS_BETTER = { realisasi: true, kunjungan: true };
  const SHARES = { realisasi: true, kunjungan: true };
  const GOOD = ["#d73027", "#fc8d59", "#fee08b", "#91cf60", "#1a9850"];
  const BAD = ["#fff5eb", "#fdbe85", "#fd8d3c", "#e6550d", "#a63603"];
  const NO_DATA = "#e9ecef";

  const map = L.map(element, { zoomSnap: 0.25, scrollWheelZoom: false, attributionControl: true });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  map.attributionControl.addAttribution(element.dataset.atribusi);
  if (data.ubin) L.tileLayer(data.ubin, { attribution: data.ubinAtribusi, maxZoom: 18 }).addTo(map);

  function valueOf(level, kode) {
    const region = (data.nilai[level] || {})[kode];
    const value = region ? region[data.ukuran] : undefined;
    return value === undefined || value === null ? null : SHARES[data.ukuran] ? value * 100 : value;
  }

  function breaks(values) {
    if (SHARES[data.ukuran]) return [50, 70, 85, 95];
    if (data.ukuran === "risiko") {
      const b = data.batasBerisiko;
      return [1, b / 2, b, b * 2];
    }
    const max = Math.max(1, ...values);
    return [1, 2, 3, 4].map((i) => (max * i) / 5);
  }

  function colourer(level) {
    const values = Object.keys(data.nilai[level] || {}).map((k) => valueOf(level, k)).filter((v) => v !== null);
    const limits = breaks(values);
    const palette = HIGHER_IS_BETTER[data.ukuran] ? GOOD : BAD;
    const colour = (value) => {
      if (value === null) return NO_DATA;
      let i = 0;
      while (i < limits.length && value >= limits[i]) i += 1;
      return palette[i];
    };
    return { colour, limits, palette };
  }

  function format(value) {
    if (value === null) return "tidak ada data";
    return SHARES[data.ukuran] ? `${number.format(value)}%` : number.format(value);
  }

  function legend(scale) {
    const control = L.control({ position: "bottomright" });
    control.onAdd = () => {
      const div = L.DomUtil.create("div", "peta-legenda");
      const unit = SHARES[data.ukuran] ? "%" : "";
      const title = document.createElement("strong");
      title.textContent = data.ukuranLabel;
      div.append(title);
      // Built as elements: the policy refuses style attributes in markup, not colours set through the DOM.
      const row = (colour, text) => {
        const line = document.createElement("div");
        const swatch = document.createElement("i");
        swatch.style.background = colour;
        line.append(swatch, text);
        div.append(line);
      };
      scale.palette.forEach((c, i) => {
        let text;
        if (i === 0) text = data.ukuran === "risiko" ? "0 (tanpa skor)" : `< ${number.format(scale.limits[0])}${unit}`;
        else if (i === scale.limits.length) text = `${number.format(scale.limits[i - 1])}${unit} atau lebih`;
        else text = `${number.format(scale.limits[i - 1])} – ${number.format(scale.limits[i])}${unit}`;
        row(c, text);
      });
      row(NO_DATA, "tidak ada data / di luar wilayah");
      return div;
    };
    control.addTo(map);
  }

  function riskColour(score) {
    if (score >= data.batasBerisiko) return "#b10026";
    if (score >= data.batasBerisiko / 2) return "#fd8d3c";
    if (score > 0) return "#fed976";
    return "#2c7fb8";
  }

  function markers() {
    const layer = L.layerGroup().addTo(map);
    for (const m of data.penanda) {
      if (m.lat === null) continue;
      const dot = L.circleMarker([m.lat, m.lng], {
        radius: 6, weight: 1, color: "#333", fillColor: riskColour(m.skor), fillOpacity: 0.9, className: "penanda-ewarong",
      });
      // Text nodes, not markup: an e-warong's name comes from an imported file.
      const tip = document.createElement("div");
      tip.append(`${m.nama} (${m.kode})`, document.createElement("br"), `skor risiko ${number.format(m.skor)}`);
      if (m.perkiraan) {
        const where = document.createElement("em");
        where.textContent = "posisi perkiraan: titik tengah kelurahan";
        tip.append(document.createElement("br"), where);
      }
      dot.bindTooltip(tip);
      dot.on("click", () => { window.location.href = `/monev/ewarong/${m.id}/`; });
      dot.addTo(layer);
    }
  }

  async function boundaries(level) {
    const response = await fetch(element.dataset[level === "kecamatan" ? "batasKecamatan" : "batasKelurahan"]);
    if (!response.ok) throw new Error(`batas ${level}: ${response.status}`);
    return response.json();
  }

  async function draw() {
    const level = data.tingkat;
    const scale = colourer(level);
    const shapes = await boundaries(level);
    const inArea = [];
    L.geoJSON(shapes, {
      style: (feature) => {
        const value = valueOf(level, feature.properties.kode);
        return { className: `batas-${level}`, color: "#4a5560", weight: 0.8, fillColor: scale.colour(value), fillOpacity: value === null ? 0.5 : 0.8 };
      },
      onEachFeature: (feature, shape) => {
        const kode = feature.properties.kode;
        if ((data.nilai[level] || {})[kode]) inArea.push(shape);
        shape.bindTooltip(`${feature.properties.nama}<br>${data.ukuranLabel}: ${format(valueOf(level, kode))}`, { sticky: true });
      },
    }).addTo(map);
    if (level === "kelurahan") {
      // Kecamatan outlines over the kelurahan, to find one's way.
      L.geoJSON(await boundaries("kecamatan"), {
        style: { className: "batas-kecamatan", color: "#212529", weight: 1.6, fill: false },
        interactive: false,
      }).addTo(map);
    }
    // Fit to the area that has figures; for the province, to the mainland (Kepulauan Seribu lies 60 km north).
    const focus = inArea.filter((shape) => !shape.feature.properties.kode.startsWith("31.01"));
    const bounds = L.featureGroup(focus.length ? focus : inArea.length ? inArea : []).getBounds();
    map.fitBounds(bounds.isValid() ? bounds : [[-6.37, 106.68], [-6.08, 106.98]]);
    legend(scale);
    markers();
    element.dataset.siap = "1";
  }

  draw().catch((error) => {
    element.insertAdjacentHTML("beforeend", `<p class="p-3">Peta tidak dapat digambar: ${error.message}</p>`);
    throw error;
  });
})();
