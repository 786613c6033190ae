// DX dashboard: four Chart.js charts drawn from the JSON the page embeds with json_script (no inline
// script under the Content-Security-Policy). The tables under each chart carry the same figures.
(function () {
  "use strict";
  // Digital Agency tokens: blue-900, orange-800, green-800, gray-600.
  var BLUE = "#0017C1", ORANGE = "#C74700", GREEN = "#197A4B", GRAY = "#666666";

  function chart(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas) return;
    config.options = Object.assign({ maintainAspectRatio: false, animation: false }, config.options || {});
    canvas.chart = new window.Chart(canvas, config);
  }

  function draw() {
    var node = document.getElementById("dashboard-data");
    if (!node || typeof window.Chart === "undefined") return;
    var d = JSON.parse(node.textContent);
    var label = function (id, key) { return document.getElementById(id).dataset[key]; };
    chart("medium-chart", {
      type: "bar",
      data: { labels: d.months, datasets: [
        { label: label("medium-chart", "electronicLabel"), data: d.electronic, backgroundColor: BLUE },
        { label: label("medium-chart", "paperLabel"), data: d.paper, backgroundColor: GRAY }
      ] },
      options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } }
    });
    chart("paper-chart", {
      type: "bar",
      data: { labels: d.months, datasets: [
        { label: label("paper-chart", "sheetsLabel"), data: d.sheets, backgroundColor: GREEN, stack: "paper" },
        { label: label("paper-chart", "attachmentsLabel"), data: d.attachments, backgroundColor: BLUE, stack: "paper" },
        { label: label("paper-chart", "hoursLabel"), data: d.hours, type: "line", borderColor: ORANGE, yAxisID: "hours" }
      ] },
      options: { scales: { y: { beginAtZero: true }, hours: { position: "right", beginAtZero: true } } }
    });
    chart("kind-chart", {
      type: "bar",
      data: { labels: d.kinds, datasets: [
        { label: label("kind-chart", "medianLabel"), data: d.kind_median, backgroundColor: BLUE },
        { label: label("kind-chart", "p90Label"), data: d.kind_p90, backgroundColor: ORANGE }
      ] },
      options: { scales: { y: { beginAtZero: true } } }
    });
    var sections = document.getElementById("section-chart");
    if (sections) sections.parentNode.style.height = Math.max(d.sections.length * 28 + 80, 160) + "px";
    chart("section-chart", {
      type: "bar",
      data: { labels: d.sections, datasets: [
        { label: label("section-chart", "medianLabel"), data: d.section_median, backgroundColor: BLUE },
        { label: label("section-chart", "p90Label"), data: d.section_p90, backgroundColor: ORANGE }
      ] },
      options: { indexAxis: "y", scales: { x: { beginAtZero: true }, y: { ticks: { autoSkip: false } } } }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
